using System.Text.Json.Serialization;

namespace Steep.Client.Events;

/// <summary>An agent registered, became busy or idle, or left (<c>event: agent</c>).</summary>
public sealed record AgentEvent : SteepEvent
{
    /// <summary>The event type name on the wire.</summary>
    public const string TypeName = "agent";

    /// <summary>The agent's id.</summary>
    [JsonPropertyName("id")]
    public string AgentId { get; init; } = "";

    /// <summary>The agent's state after the change: <c>registered</c>, <c>busy</c>, <c>idle</c> or <c>left</c>.</summary>
    [JsonPropertyName("state")]
    public string State { get; init; } = "";

    /// <summary>The process chain the agent started running, when it became busy.</summary>
    [JsonPropertyName("processChainId")]
    public string? ProcessChainId { get; init; }
}
