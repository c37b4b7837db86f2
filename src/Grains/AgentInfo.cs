namespace Steep.Grains;

/// <summary>What is known about an agent.</summary>
/// <param name="Id">The agent id.</param>
/// <param name="Available">True when idle.</param>
/// <param name="Capabilities">What the agent provides.</param>
/// <param name="StartTime">When the agent registered.</param>
/// <param name="StateChangedTime">When it last became busy or idle.</param>
/// <param name="ProcessChainId">The chain it is running, if any.</param>
public sealed record AgentInfo(string Id, bool Available, IReadOnlyList<string> Capabilities, DateTimeOffset StartTime,
    DateTimeOffset StateChangedTime, string? ProcessChainId);
