using System.Text.Json.Serialization;

namespace Steep.Contracts;

/// <summary>What is known about an agent (also the JSON of <c>GET /agents</c>, which the HTTP client reads into it).</summary>
/// <param name="Id">The agent id.</param>
/// <param name="Available">True when idle.</param>
/// <param name="Capabilities">What the agent provides.</param>
/// <param name="StartTime">When the agent registered.</param>
/// <param name="StateChangedTime">When it last became busy or idle.</param>
/// <param name="ProcessChainId">The chain it is running, if any.</param>
/// <param name="Silo">The silo (process and machine) the agent lives on; not part of Steep's JSON.</param>
/// <param name="Host">The machine (host name) of that silo, where the agent's processes run; not part of Steep's JSON.</param>
[GenerateSerializer, Immutable, Alias("steep.AgentInfo")]
public sealed record AgentInfo(
    [property: Id(0), JsonPropertyName("id")] string Id,
    [property: Id(1), JsonPropertyName("available")] bool Available,
    [property: Id(2), JsonPropertyName("capabilities")] IReadOnlyList<string> Capabilities,
    [property: Id(3), JsonPropertyName("startTime")] DateTimeOffset StartTime,
    [property: Id(4), JsonPropertyName("stateChangedTime")] DateTimeOffset StateChangedTime,
    [property: Id(5), JsonPropertyName("processChainId")] string? ProcessChainId,
    [property: Id(6), JsonPropertyName("silo"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Silo = null,
    [property: Id(7), JsonPropertyName("host"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Host = null);
