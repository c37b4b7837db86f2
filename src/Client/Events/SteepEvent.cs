using System.Text.Json.Serialization;

namespace Steep.Client.Events;

/// <summary>
/// A change the server announced on <c>GET /events</c> (see <see cref="SteepClient.WatchEventsAsync"/>):
/// a <see cref="SubmissionEvent"/>, a <see cref="ProcessChainEvent"/>, an <see cref="AgentEvent"/>, or an
/// <see cref="UnknownEvent"/> for an event type this client does not know.
/// </summary>
public abstract record SteepEvent
{
    /// <summary>The event type as the server named it (<c>submission</c>, <c>processChain</c>, <c>agent</c>, …).</summary>
    [JsonIgnore]
    public string Type { get; init; } = "";

    /// <summary>The event's data exactly as received (JSON for the known types).</summary>
    [JsonIgnore]
    public string Data { get; init; } = "";
}
