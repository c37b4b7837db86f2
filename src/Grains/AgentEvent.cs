namespace Steep.Grains;

/// <summary>An agent's state after a change ("registered", "busy", "idle", "left").</summary>
public sealed record AgentEvent(string AgentId, string State, string? ProcessChainId);
