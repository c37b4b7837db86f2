using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Steep.Api.Metrics;

/// <summary><c>GET /metrics</c> in the Prometheus text exposition format 0.0.4 (written by prometheus-net).</summary>
internal static class MetricsEndpoints
{
    /// <summary>The content type of the text format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static readonly SemaphoreSlim Scrape = new(1, 1);

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (HttpContext context, ISteepInstance steep, SteepMetrics metrics, CancellationToken ct) =>
            {
                // one scrape at a time: the gauges are read from the instance just before they are written
                await Scrape.WaitAsync(ct);
                try
                {
                    await metrics.UpdateAsync(steep, ct);
                    context.Response.ContentType = ContentType;
                    await metrics.Registry.CollectAndExportAsTextAsync(context.Response.Body, ct);
                }
                finally
                {
                    Scrape.Release();
                }
            })
            .WithName("getMetrics").WithTags("Metrics")
            .WithSummary("Prometheus metrics: steep_* gauges, process chain durations, process, .NET runtime and Orleans figures")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }
}
