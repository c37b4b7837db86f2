using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>
/// A workflow (Steep's workflow API 4.x): variables and the actions that use them. Build one in code and pass it to
/// <see cref="SteepClient.SubmitWorkflowAsync(Workflow, CancellationToken)"/>, or submit YAML or JSON text as it is.
/// </summary>
public sealed record Workflow
{
    /// <summary>The workflow API version, such as <c>4.0.0</c>; the server assumes its newest when null.</summary>
    [JsonPropertyName("api")]
    public string? Api { get; init; }

    /// <summary>An optional human-readable name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>An optional priority for the workflow's process chains (higher runs first).</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>The variables: inputs with a value, outputs without one.</summary>
    [JsonPropertyName("vars")]
    public IReadOnlyList<Variable> Vars { get; init; } = [];

    /// <summary>The top-level actions: <see cref="ExecuteAction"/>s and <see cref="ForEachAction"/>s.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<WorkflowAction> Actions { get; init; } = [];
}
