using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Hosting;
using Steep.Api.Http;
using Steep.Api.Views;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.Endpoints;

/// <summary><c>GET /events</c>: submission, process chain and agent changes as server-sent events.</summary>
internal static class EventEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/events", StreamAsync)
            .WithName("getEvents").WithTags("Events")
            .WithSummary("Server-sent events: 'submission', 'processChain' and 'agent' with JSON data; keep-alive comments")
            .Produces<string>(StatusCodes.Status200OK, "text/event-stream");
    }

    private static async Task StreamAsync(HttpContext context, ISteepInstance steep, SteepApiOptions options, IHostApplicationLifetime lifetime)
    {
        // ends when the client goes away or the server shuts down (an open stream must not hold up the shutdown)
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        var ct = stop.Token;
        var response = context.Response;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["X-Accel-Buffering"] = "no"; // tells reverse proxies not to buffer the stream
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        if (HeadRequestMiddleware.IsHead(context)) return; // the stream never ends: HEAD gets its headers only

        using var subscription = steep.SubscribeEvents();
        var reader = subscription.Events;
        try
        {
            // the subscription exists before this first line arrives: a client that has read it misses no event
            await WriteAsync(response, ": connected\n\n", ct);
            while (true)
            {
                bool more;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(ct))
                {
                    idle.CancelAfter(options.EventKeepAliveInterval);
                    try
                    {
                        more = await reader.WaitToReadAsync(idle.Token);
                    }
                    catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                    {
                        await WriteAsync(response, ": keep-alive\n\n", ct);
                        continue;
                    }
                }
                if (!more) break;
                var batch = new StringBuilder();
                while (batch.Length < 64 * 1024 && reader.TryRead(out var e)) Append(batch, e);
                if (batch.Length > 0) await WriteAsync(response, batch.ToString(), ct);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or ObjectDisposedException)
        {
            // the client disconnected or the server is stopping: the stream simply ends
        }
    }

    private static void Append(StringBuilder sb, object e)
    {
        var (name, json) = e switch
        {
            SubmissionEvent s => ("submission", ApiResults.Serialize(SubmissionEventView.From(s))),
            ProcessChainEvent c => ("processChain", ApiResults.Serialize(ProcessChainEventView.From(c))),
            AgentEvent a => ("agent", ApiResults.Serialize(AgentEventView.From(a))),
            _ => ((string?)null, ""),
        };
        if (name is null) return;
        // compact JSON has no line breaks, so one data line carries the whole event
        sb.Append("event: ").Append(name).Append('\n').Append("data: ").Append(json).Append("\n\n");
    }

    private static async Task WriteAsync(HttpResponse response, string text, CancellationToken ct)
    {
        await response.WriteAsync(text, ct);
        await response.Body.FlushAsync(ct);
    }
}
