using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Steep.Api.Http;

namespace Steep.Api.EventBus;

/// <summary>
/// <c>/eventbus</c>: the SockJS endpoint (protocol 0.3) that carries the Vert.x event bus bridge, as Steep's web UI
/// connects to it (vertx3-eventbus-client): info, websocket, raw websocket, xhr-streaming, xhr polling and xhr_send.
/// </summary>
internal static class SockJsEndpoints
{
    private static readonly TimeSpan Heartbeat = TimeSpan.FromSeconds(25);
    // a streaming response ends after this many bytes so that browsers release the memory (the client reconnects)
    private const int StreamingLimit = 128 * 1024;
    private const string NoCache = "no-store, no-cache, no-transform, must-revalidate, max-age=0";
    private const string JavaScript = "application/javascript; charset=UTF-8";

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/eventbus").WithTags("Events");
        group.MapGet("", () => Results.Text("Welcome to SockJS!\n", "text/plain; charset=UTF-8"))
            .WithName("getEventBus").WithSummary("SockJS greeting");
        group.MapGet("/info", Info).WithName("getEventBusInfo")
            .WithSummary("SockJS info: {\"websocket\": true, \"cookie_needed\": false, \"origins\": [\"*:*\"], \"entropy\": n}")
            .Produces<JsonObject>(StatusCodes.Status200OK);
        group.MapMethods("/info", ["OPTIONS"], Options).ExcludeFromDescription();
        group.MapGet("/websocket", RawWebSocketAsync).WithName("getEventBusRawWebSocket")
            .WithSummary("The bridge over a plain websocket: one bridge message (JSON) per text frame");
        group.MapGet("/{server}/{session}/websocket", WebSocketAsync).WithName("getEventBusWebSocket")
            .WithDescription("SockJS websocket transport: frames o, h, a[\"…\"], c[code,\"reason\"]. Bridge messages: " +
                "{\"type\": \"register\"|\"unregister\"|\"ping\", \"address\": …} from the client, " +
                "{\"type\": \"rec\", \"address\": …, \"body\": …} and {\"type\": \"err\", \"body\": …} from the server.");
        group.MapPost("/{server}/{session}/xhr_streaming", XhrStreamingAsync).WithName("postEventBusXhrStreaming")
            .WithSummary("SockJS xhr-streaming transport (application/javascript)");
        group.MapPost("/{server}/{session}/xhr", XhrPollingAsync).WithName("postEventBusXhrPolling")
            .WithSummary("SockJS xhr polling transport (one frame per request)");
        group.MapPost("/{server}/{session}/xhr_send", XhrSendAsync).WithName("postEventBusXhrSend")
            .WithSummary("SockJS xhr_send: a JSON array of bridge messages (strings); 204");
        group.MapMethods("/{server}/{session}/{transport}", ["OPTIONS"], Options).ExcludeFromDescription();
    }

    private static IResult Info(HttpContext context)
    {
        Cors(context);
        context.Response.Headers.CacheControl = NoCache;
        var body = new JsonObject
        {
            ["websocket"] = true, ["cookie_needed"] = false, ["origins"] = new JsonArray("*:*"),
            ["entropy"] = RandomNumberGenerator.GetInt32(int.MaxValue),
        };
        return Results.Text(body.ToJsonString(), ApiResults.JsonContentType);
    }

    private static IResult Options(HttpContext context)
    {
        Cors(context);
        var headers = context.Response.Headers;
        headers.CacheControl = "public, max-age=31536000";
        headers.AccessControlMaxAge = "31536000";
        headers.AccessControlAllowMethods = context.Request.Path.Value?.EndsWith("/info", StringComparison.Ordinal) == true
            ? "OPTIONS, GET" : "OPTIONS, POST";
        if (context.Request.Headers.AccessControlRequestHeaders is { Count: > 0 } requested)
            headers.AccessControlAllowHeaders = requested;
        return Results.NoContent();
    }

    /// <summary>SockJS answers cross-origin calls of its own page with credentials allowed.</summary>
    private static void Cors(HttpContext context)
    {
        var origin = context.Request.Headers.Origin.ToString();
        context.Response.Headers.AccessControlAllowOrigin = string.IsNullOrEmpty(origin) || origin == "null" ? "*" : origin;
        context.Response.Headers.AccessControlAllowCredentials = "true";
    }

    private static bool ValidIds(string server, string session) =>
        server.Length > 0 && session.Length > 0 && !server.Contains('.') && !session.Contains('.');

    // ---- websockets ----

    private static async Task WebSocketAsync(string server, string session, HttpContext context, EventBusHub hub, IHostApplicationLifetime lifetime)
    {
        if (!ValidIds(server, session))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        await ServeWebSocketAsync(context, hub, lifetime, framed: true);
    }

    private static Task RawWebSocketAsync(HttpContext context, EventBusHub hub, IHostApplicationLifetime lifetime) =>
        ServeWebSocketAsync(context, hub, lifetime, framed: false);

    private static async Task ServeWebSocketAsync(HttpContext context, EventBusHub hub, IHostApplicationLifetime lifetime, bool framed)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = ApiResults.TextContentType;
            await context.Response.WriteAsync("Can \"Upgrade\" only to \"WebSocket\".", context.RequestAborted);
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var session = hub.Open(Guid.NewGuid().ToString("N"));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        var sendLock = new SemaphoreSlim(1, 1);
        async Task SendAsync(string text)
        {
            await sendLock.WaitAsync(ct);
            try
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);
            }
            finally
            {
                sendLock.Release();
            }
        }

        try
        {
            if (framed) await SendAsync("o");
            var sending = Task.Run(async () =>
            {
                while (true)
                {
                    var batch = await NextBatchAsync(session, ct);
                    if (batch is null) return;
                    if (batch.Count == 0)
                    {
                        if (framed) await SendAsync("h");
                        continue;
                    }
                    if (framed) await SendAsync(ArrayFrame(batch));
                    else foreach (var m in batch) await SendAsync(m);
                }
            }, ct);
            await ReceiveAsync(socket, session, framed, ct);
            await stop.CancelAsync();
            try
            {
                await sending;
            }
            catch (OperationCanceledException)
            {
                // the receiver ended the connection
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // the client went away or the server stops
        }
        finally
        {
            hub.Close(session);
        }
    }

    private static async Task ReceiveAsync(WebSocket socket, BridgeSession session, bool framed, CancellationToken ct)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        while (socket.State == WebSocketState.Open)
        {
            var result = await socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) return;
            message.Write(buffer, 0, result.Count);
            if (message.Length > 1024 * 1024) return; // nothing a browser sends here is that large
            if (!result.EndOfMessage) continue;
            var text = Encoding.UTF8.GetString(message.GetBuffer(), 0, (int)message.Length);
            message.SetLength(0);
            if (!framed)
            {
                session.Receive(text);
                continue;
            }
            // SockJS clients send a JSON array of strings (or one JSON string); broken frames close the connection
            if (string.IsNullOrWhiteSpace(text)) continue;
            if (!TryParseMessages(text, out var messages)) return;
            foreach (var m in messages) session.Receive(m);
        }
    }

    // ---- xhr transports ----

    private static async Task XhrStreamingAsync(string server, string session, HttpContext context, EventBusHub hub, IHostApplicationLifetime lifetime)
    {
        if (!ValidIds(server, session))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var s = hub.OpenXhr(session, out _);
        var response = context.Response;
        Cors(context);
        response.ContentType = JavaScript;
        response.Headers.CacheControl = NoCache;
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        // the prelude makes browsers hand the first bytes to the page at once
        await WriteAsync(response, new string('h', 2048) + "\n", ct);
        if (!s.TryAttach())
        {
            await WriteAsync(response, "c[2010,\"Another connection still open\"]\n", ct);
            return;
        }
        try
        {
            if (!s.Opened)
            {
                s.Opened = true;
                await WriteAsync(response, "o\n", ct);
            }
            long written = 0;
            while (written < StreamingLimit)
            {
                var batch = await NextBatchAsync(s, ct);
                if (batch is null)
                {
                    await WriteAsync(response, "c[3000,\"Go away!\"]\n", ct);
                    return;
                }
                var frame = batch.Count == 0 ? "h\n" : ArrayFrame(batch) + "\n";
                await WriteAsync(response, frame, ct);
                written += frame.Length;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException)
        {
            // the client went away; the session waits a little for it to come back
        }
        finally
        {
            s.Detach();
        }
    }

    private static async Task XhrPollingAsync(string server, string session, HttpContext context, EventBusHub hub, IHostApplicationLifetime lifetime)
    {
        if (!ValidIds(server, session))
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var s = hub.OpenXhr(session, out _);
        var response = context.Response;
        Cors(context);
        response.ContentType = JavaScript;
        response.Headers.CacheControl = NoCache;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        if (!s.TryAttach())
        {
            await response.WriteAsync("c[2010,\"Another connection still open\"]\n", stop.Token);
            return;
        }
        try
        {
            if (!s.Opened)
            {
                s.Opened = true;
                await response.WriteAsync("o\n", stop.Token);
                return;
            }
            var batch = await NextBatchAsync(s, stop.Token);
            await response.WriteAsync(batch is null ? "c[3000,\"Go away!\"]\n" : batch.Count == 0 ? "h\n" : ArrayFrame(batch) + "\n", stop.Token);
        }
        catch (OperationCanceledException)
        {
            // the client went away
        }
        finally
        {
            s.Detach();
        }
    }

    private static async Task XhrSendAsync(string server, string session, HttpContext context, EventBusHub hub)
    {
        Cors(context);
        var s = ValidIds(server, session) ? hub.FindXhr(session) : null;
        if (s is null)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        var (text, error) = await BodyReader.ReadTextAsync(context.Request, 1024 * 1024, context.RequestAborted);
        if (error is not null)
        {
            await error.ExecuteAsync(context);
            return;
        }
        // SockJS's own answers (status 500 and these texts) for a missing or broken payload
        if (string.IsNullOrEmpty(text))
        {
            await Plain(context, StatusCodes.Status500InternalServerError, "Payload expected.");
            return;
        }
        if (!TryParseMessages(text, out var messages))
        {
            await Plain(context, StatusCodes.Status500InternalServerError, "Broken JSON encoding.");
            return;
        }
        foreach (var m in messages) s.Receive(m);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
        context.Response.ContentType = "text/plain; charset=UTF-8";
    }

    private static async Task Plain(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=UTF-8";
        await context.Response.WriteAsync(text, context.RequestAborted);
    }

    // ---- framing ----

    /// <summary>The next messages to send (up to 100), an empty list after a heartbeat interval, null when the session closed.</summary>
    private static async Task<List<string>?> NextBatchAsync(BridgeSession session, CancellationToken ct)
    {
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(ct);
        idle.CancelAfter(Heartbeat);
        try
        {
            if (!await session.Outgoing.WaitToReadAsync(idle.Token)) return null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return [];
        }
        var batch = new List<string>();
        while (batch.Count < 100 && session.Outgoing.TryRead(out var m)) batch.Add(m);
        return batch;
    }

    private static string ArrayFrame(IEnumerable<string> messages) => "a" + new JsonArray(messages.Select(m => (JsonNode)m).ToArray()).ToJsonString();

    private static bool TryParseMessages(string text, out List<string> messages)
    {
        messages = [];
        try
        {
            switch (JsonNode.Parse(text))
            {
                case JsonArray array:
                    foreach (var item in array)
                    {
                        if (item is not JsonValue v || !v.TryGetValue<string>(out var m)) return false;
                        messages.Add(m);
                    }
                    return true;
                case JsonValue single when single.TryGetValue<string>(out var one):
                    messages.Add(one);
                    return true;
                default:
                    return false;
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
