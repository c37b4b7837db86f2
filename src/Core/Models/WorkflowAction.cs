using System.Text.Json.Serialization;
using Steep.Core.Serialization;

namespace Steep.Core.Models;

/// <summary>An action of a workflow: <see cref="ExecuteAction"/>, <see cref="ForEachAction"/> or <see cref="IncludeAction"/>.</summary>
[JsonConverter(typeof(WorkflowActionConverter))]
public abstract record WorkflowAction
{
    /// <summary>The action's identifier; optional in the workflow, generated when missing.</summary>
    [JsonPropertyName("id")]
    public string? Id { get; init; }

    /// <summary>The discriminator written to JSON ("execute", "for" or "include").</summary>
    [JsonPropertyName("type")]
    public abstract string Type { get; }

    /// <summary>Identifiers of actions that must have been executed before this one (Steep 6 also takes a single string).</summary>
    [JsonPropertyName("dependsOn"), JsonConverter(typeof(StringOrListConverter))]
    public IReadOnlyList<string> DependsOn { get; init; } = [];
}
