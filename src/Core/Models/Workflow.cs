using System.Text.Json.Serialization;
using Steep.Core.Serialization;

namespace Steep.Core.Models;

/// <summary>A workflow (Steep workflow API 4.x): variables and the actions that use them.</summary>
public sealed record Workflow
{
    /// <summary>The newest workflow API version this implementation understands.</summary>
    public const string LatestApiVersion = "4.4.0";

    /// <summary>The workflow API version; when missing, <see cref="LatestApiVersion"/> is assumed.</summary>
    [JsonPropertyName("api"), JsonConverter(typeof(LenientStringConverter))]
    public string? Api { get; init; }

    /// <summary>An optional human-readable name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>An optional priority for the process chains of this workflow.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>The variables declared by the workflow.</summary>
    [JsonPropertyName("vars")]
    public IReadOnlyList<Variable> Vars { get; init; } = [];

    /// <summary>The top-level actions.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<WorkflowAction> Actions { get; init; } = [];
}
