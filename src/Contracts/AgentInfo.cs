namespace Steep.Contracts;

/// <summary>What is known about an agent.</summary>
/// <param name="Id">The agent id.</param>
/// <param name="Available">True when idle.</param>
/// <param name="Capabilities">What the agent provides.</param>
/// <param name="StartTime">When the agent registered.</param>
/// <param name="StateChangedTime">When it last became busy or idle.</param>
/// <param name="ProcessChainId">The chain it is running, if any.</param>
/// <param name="Silo">The silo (process and machine) the agent lives on.</param>
[GenerateSerializer, Immutable, Alias("steep.AgentInfo")]
public sealed record AgentInfo(
    [property: Id(0)] string Id,
    [property: Id(1)] bool Available,
    [property: Id(2)] IReadOnlyList<string> Capabilities,
    [property: Id(3)] DateTimeOffset StartTime,
    [property: Id(4)] DateTimeOffset StateChangedTime,
    [property: Id(5)] string? ProcessChainId,
    [property: Id(6)] string? Silo = null);
