using System.Text.Json.Serialization;

namespace Steep.Contracts;

/// <summary>A process chain's new status.</summary>
/// <param name="ProcessChainId">The chain.</param>
/// <param name="SubmissionId">Its submission.</param>
/// <param name="Status">REGISTERED, RUNNING, SUCCESS, ERROR or CANCELLED.</param>
/// <param name="AgentId">The agent running it, when known.</param>
/// <param name="Duration">How long it ran, when it has ended.</param>
/// <param name="ServiceId">The service of its first executable, when it has ended.</param>
[GenerateSerializer, Immutable, Alias("steep.ProcessChainEvent")]
public sealed record ProcessChainEvent(
    [property: Id(0), JsonPropertyName("processChainId")] string ProcessChainId,
    [property: Id(1), JsonPropertyName("submissionId")] string SubmissionId,
    [property: Id(2), JsonPropertyName("status")] string Status,
    [property: Id(3), JsonPropertyName("agentId")] string? AgentId,
    [property: Id(4), JsonIgnore] TimeSpan? Duration,
    [property: Id(5), JsonIgnore] string? ServiceId);
