using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace Steep.Api.Tests.Support;

/// <summary>
/// A minimal SockJS websocket client speaking the Vert.x event bus bridge protocol, as vertx3-eventbus-client does
/// in Steep's web UI: frames o/h/a/c, bridge messages register/unregister/ping out and rec/err in.
/// </summary>
public sealed class SockJsBridgeClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket = new();
    private readonly Queue<JsonObject> _received = new();

    public List<string> Frames { get; } = [];

    public static async Task<SockJsBridgeClient> ConnectAsync(Uri baseAddress, CancellationToken ct)
    {
        var client = new SockJsBridgeClient();
        var ws = new UriBuilder(baseAddress) { Scheme = baseAddress.Scheme == "https" ? "wss" : "ws", Path = "/eventbus/123/abcdefgh/websocket" };
        await client._socket.ConnectAsync(ws.Uri, ct);
        var open = await client.ReceiveFrameAsync(ct);
        if (open != "o") throw new InvalidOperationException($"expected the open frame 'o', got '{open}'");
        return client;
    }

    /// <summary>Sends bridge messages in one SockJS frame (a JSON array of JSON strings).</summary>
    public Task SendAsync(CancellationToken ct, params JsonObject[] messages)
    {
        var frame = new JsonArray(messages.Select(m => (JsonNode)m.ToJsonString()).ToArray()).ToJsonString();
        return _socket.SendAsync(Encoding.UTF8.GetBytes(frame), WebSocketMessageType.Text, true, ct);
    }

    public Task RegisterAsync(string address, CancellationToken ct) =>
        SendAsync(ct, new JsonObject { ["type"] = "register", ["address"] = address, ["headers"] = new JsonObject() });

    /// <summary>The next bridge message from the server (heartbeats are skipped).</summary>
    public async Task<JsonObject> ReceiveAsync(CancellationToken ct)
    {
        while (_received.Count == 0)
        {
            var frame = await ReceiveFrameAsync(ct);
            if (frame == "h") continue;
            if (frame.StartsWith('c')) throw new InvalidOperationException($"the server closed the session: {frame}");
            if (!frame.StartsWith('a')) throw new InvalidOperationException($"unexpected SockJS frame '{frame}'");
            foreach (var m in JsonNode.Parse(frame[1..])!.AsArray()) _received.Enqueue(JsonNode.Parse(m!.GetValue<string>())!.AsObject());
        }
        return _received.Dequeue();
    }

    /// <summary>Receives until a message matches; returns it.</summary>
    public async Task<JsonObject> ReceiveUntilAsync(Func<JsonObject, bool> match, CancellationToken ct)
    {
        while (true)
        {
            var m = await ReceiveAsync(ct);
            if (match(m)) return m;
        }
    }

    private async Task<string> ReceiveFrameAsync(CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var r = await _socket.ReceiveAsync(buffer, ct);
            if (r.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException("the websocket closed");
            message.Write(buffer, 0, r.Count);
            if (r.EndOfMessage) break;
        }
        var frame = Encoding.UTF8.GetString(message.ToArray());
        Frames.Add(frame);
        return frame;
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_socket.State == WebSocketState.Open)
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "", new CancellationTokenSource(2000).Token);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // the server may have gone already
        }
        _socket.Dispose();
    }
}
