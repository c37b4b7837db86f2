using System.Text.Json.Serialization;

namespace Steep.Contracts;

/// <summary>An agent's state after a change.</summary>
/// <param name="AgentId">The agent.</param>
/// <param name="State">"registered", "busy", "idle" or "left".</param>
/// <param name="ProcessChainId">The chain it runs, when busy.</param>
[GenerateSerializer, Immutable, Alias("steep.AgentEvent")]
public sealed record AgentEvent(
    [property: Id(0), JsonPropertyName("agentId")] string AgentId,
    [property: Id(1), JsonPropertyName("state")] string State,
    [property: Id(2), JsonPropertyName("processChainId")] string? ProcessChainId);
