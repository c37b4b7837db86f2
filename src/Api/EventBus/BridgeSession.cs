using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace Steep.Api.EventBus;

/// <summary>
/// One browser on the Vert.x event bus bridge: the addresses it registered and the messages waiting to be sent to it
/// (each an encoded bridge message; the transport frames them).
/// </summary>
internal sealed class BridgeSession
{
    // A client that stops reading must not make the server hold every event: the oldest are dropped, and the UI,
    // which refetches lists on reconnect, recovers.
    private const int MaxQueued = 10_000;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _registered = new(StringComparer.Ordinal);
    private readonly Channel<string> _outgoing = Channel.CreateBounded<string>(
        new BoundedChannelOptions(MaxQueued) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
    private int _receivers;

    public BridgeSession(string id) => Id = id;

    /// <summary>The SockJS session id (a fresh one per raw websocket).</summary>
    public string Id { get; }

    /// <summary>Encoded bridge messages for the client, in order.</summary>
    public ChannelReader<string> Outgoing => _outgoing.Reader;

    /// <summary>True once the open frame ("o") has gone out; SockJS sends it once per session.</summary>
    public bool Opened { get; set; }

    /// <summary>When the last receiving connection of an xhr session ended (SockJS keeps the session a while).</summary>
    public DateTime DetachedAt { get; private set; } = DateTime.UtcNow;

    /// <summary>Closed sessions take no more messages.</summary>
    public bool IsClosed { get; private set; }

    /// <summary>Claims the session for one receiving connection; false when another one holds it (SockJS 2010).</summary>
    public bool TryAttach() => Interlocked.CompareExchange(ref _receivers, 1, 0) == 0;

    /// <summary>Releases the receiving connection.</summary>
    public void Detach()
    {
        DetachedAt = DateTime.UtcNow;
        Volatile.Write(ref _receivers, 0);
    }

    /// <summary>True while a connection receives.</summary>
    public bool IsAttached => Volatile.Read(ref _receivers) == 1;

    public bool IsRegistered(string address)
    {
        lock (_gate) return _registered.Contains(address);
    }

    /// <summary>Queues an encoded message for an address if the client registered it.</summary>
    public void Deliver(string address, string encoded)
    {
        if (IsRegistered(address)) _outgoing.Writer.TryWrite(encoded);
    }

    public void Close()
    {
        IsClosed = true;
        lock (_gate) _registered.Clear();
        _outgoing.Writer.TryComplete();
    }

    /// <summary>Handles one bridge message from the client (register, unregister, publish, send, ping), as Vert.x does.</summary>
    public void Receive(string message)
    {
        JsonObject? frame;
        try
        {
            frame = JsonNode.Parse(message) as JsonObject;
        }
        catch (JsonException)
        {
            frame = null;
        }
        if (frame is null)
        {
            Error("invalid_json");
            return;
        }
        var type = (frame["type"] as JsonValue)?.TryGetValue<string>(out var t) == true ? t : null;
        var address = (frame["address"] as JsonValue)?.TryGetValue<string>(out var a) == true ? a : null;
        switch (type)
        {
            case null:
                Error("missing_type");
                return;
            case "ping":
                return; // keeps the bridge's idle timer happy; Vert.x does not answer it
            case "register" or "unregister" or "publish" or "send":
                break;
            default:
                Error("invalid_type");
                return;
        }
        if (address is null)
        {
            Error("missing_address");
            return;
        }
        switch (type)
        {
            case "register" when EventBusAddresses.Outbound.Contains(address):
                lock (_gate) _registered.Add(address);
                return;
            case "unregister":
                lock (_gate) _registered.Remove(address);
                return;
            default:
                // Steep permits no inbound traffic and no other outbound addresses
                Error("access_denied");
                return;
        }
    }

    private void Error(string body) =>
        _outgoing.Writer.TryWrite(new JsonObject { ["type"] = "err", ["body"] = body }.ToJsonString());
}
