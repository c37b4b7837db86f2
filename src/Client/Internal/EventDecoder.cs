using System.Text.Json;
using Steep.Client.Events;

namespace Steep.Client.Internal;

/// <summary>Turns a server-sent event into a typed <see cref="SteepEvent"/>.</summary>
internal static class EventDecoder
{
    public static SteepEvent Decode(ServerSentEvent e)
    {
        try
        {
            SteepEvent? typed = e.Type switch
            {
                SubmissionEvent.TypeName => JsonSerializer.Deserialize<SubmissionEvent>(e.Data, ClientJson.Options),
                ProcessChainEvent.TypeName => JsonSerializer.Deserialize<ProcessChainEvent>(e.Data, ClientJson.Options),
                AgentEvent.TypeName => JsonSerializer.Deserialize<AgentEvent>(e.Data, ClientJson.Options),
                _ => null,
            };
            if (typed is not null) return typed with { Type = e.Type, Data = e.Data };
        }
        catch (JsonException)
        {
            // data this client cannot read is passed on as it is
        }
        return new UnknownEvent { Type = e.Type, Data = e.Data };
    }
}
