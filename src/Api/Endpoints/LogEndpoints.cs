using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;

namespace Steep.Api.Endpoints;

/// <summary><c>GET /logs/processchains/{id}</c>: a process chain's log file, with HTTP range requests.</summary>
internal static class LogEndpoints
{
    private static readonly char[] InvalidNameChars = Path.GetInvalidFileNameChars();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/logs/processchains/{id}", GetAsync)
            .WithName("getProcessChainLog").WithTags("Process chains")
            .WithSummary("The process chain's log as text/plain; supports Range: bytes=… (206, 416)")
            .WithDescription("Query: forceDownload=true sends the log as an attachment named <id>.log.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<string>(StatusCodes.Status206PartialContent, "text/plain")
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType)
            .Produces(StatusCodes.Status416RangeNotSatisfiable);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        // only chains the store knows have logs: the id never names an arbitrary file
        if (await steep.ProcessChains.GetAsync(id, ct) is null) return ProcessChainEndpoints.UnknownChain(id);
        var path = id.IndexOfAny(InvalidNameChars) < 0 && id is not ("." or "..")
            ? Path.GetFullPath(Path.Combine(steep.LogDirectory, id + ".log")) : null;
        if (path is null || !File.Exists(path))
            return ApiResults.NotFound($"Process chain '{PageQuery.Shorten(id)}' has no log (it has not run yet, or its log was removed)");
        bool download = string.Equals(context.Request.Query["forceDownload"], "true", StringComparison.OrdinalIgnoreCase);
        return TypedResults.PhysicalFile(path, ApiResults.TextContentType, download ? id + ".log" : null, enableRangeProcessing: true);
    }
}
