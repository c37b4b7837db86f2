using System.Text.Json.Serialization;

namespace Steep.Client.Events;

/// <summary>A process chain's status changed (<c>event: processChain</c>).</summary>
public sealed record ProcessChainEvent : SteepEvent
{
    /// <summary>The event type name on the wire.</summary>
    public const string TypeName = "processChain";

    /// <summary>The process chain's id.</summary>
    [JsonPropertyName("id")]
    public string ProcessChainId { get; init; } = "";

    /// <summary>The id of the submission the process chain belongs to.</summary>
    [JsonPropertyName("submissionId")]
    public string SubmissionId { get; init; } = "";

    /// <summary>The new status, one of <see cref="Models.ProcessChainStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>The agent running or having run the chain, when known.</summary>
    [JsonPropertyName("agentId")]
    public string? AgentId { get; init; }

    /// <summary>The service of the chain's first executable, when known.</summary>
    [JsonPropertyName("serviceId")]
    public string? ServiceId { get; init; }

    /// <summary>How long the chain ran in milliseconds, when it has finished.</summary>
    [JsonPropertyName("durationMillis")]
    public long? DurationMillis { get; init; }
}
