using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An agent: a worker that executes process chains.</summary>
public sealed record Agent
{
    /// <summary>The unique agent identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>True when the agent is idle and can take a process chain.</summary>
    [JsonPropertyName("available")]
    public bool Available { get; init; }

    /// <summary>The capabilities the agent provides.</summary>
    [JsonPropertyName("capabilities")]
    public IReadOnlyList<string> Capabilities { get; init; } = [];

    /// <summary>When the agent started (registered).</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the agent last became busy or idle.</summary>
    [JsonPropertyName("stateChangedTime")]
    public DateTimeOffset? StateChangedTime { get; init; }

    /// <summary>The id of the process chain the agent is running; null when it is idle.</summary>
    [JsonPropertyName("processChainId")]
    public string? ProcessChainId { get; init; }
}
