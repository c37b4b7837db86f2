using System.Text.Json.Serialization;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.Views;

/// <summary>The data of an <c>event: agent</c> on <c>GET /events</c>: state is registered, busy, idle or left.</summary>
internal sealed record AgentEventView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("state")] string State,
    [property: JsonPropertyName("processChainId")] string? ProcessChainId)
{
    public static AgentEventView From(AgentEvent e) => new(e.AgentId, e.State, e.ProcessChainId);
}
