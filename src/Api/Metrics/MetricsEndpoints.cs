using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Steep.Api.Metrics;

/// <summary><c>GET /metrics</c> in the Prometheus text exposition format 0.0.4.</summary>
internal static class MetricsEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/metrics", async (ISteepInstance steep, SteepMetrics metrics, CancellationToken ct) =>
                Results.Text(PrometheusTextWriter.Write(await metrics.ScrapeAsync(steep, ct)), PrometheusTextWriter.ContentType))
            .WithName("getMetrics").WithTags("Metrics")
            .WithSummary("Prometheus metrics: steep_* gauges, process chain durations, process and runtime figures")
            .Produces<string>(StatusCodes.Status200OK, "text/plain");
    }
}
