using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>
/// An action of a workflow: an <see cref="ExecuteAction"/> (JSON <c>"type": "execute"</c>) or a
/// <see cref="ForEachAction"/> (<c>"type": "for"</c>).
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(ExecuteAction), "execute")]
[JsonDerivedType(typeof(ForEachAction), "for")]
public abstract record WorkflowAction
{
    /// <summary>The action's identifier; optional, the server generates one when it is missing.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>Identifiers of actions that must have been executed before this one.</summary>
    [JsonPropertyName("dependsOn")]
    public IReadOnlyList<string> DependsOn { get; init; } = [];
}
