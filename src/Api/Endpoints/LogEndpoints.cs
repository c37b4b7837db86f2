using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Agent;
using Steep.Api.Http;
using Steep.Grains;

namespace Steep.Api.Endpoints;

/// <summary>
/// <c>GET /logs/processchains/{id}</c>: a process chain's log file, with <c>Range</c> (206) and Steep's <c>x-range</c>
/// (200 with <c>x-content-range</c>).
/// </summary>
internal static class LogEndpoints
{
    private const string RangeHelp = "use bytes=FIRST-LAST, bytes=FIRST- or bytes=-LENGTH (e.g. bytes=-2000000 for the last 2 MB)";
    private static readonly char[] InvalidNameChars = Path.GetInvalidFileNameChars();

    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/logs/processchains/{id}", GetAsync)
            .WithName("getProcessChainLog").WithTags("Process chains")
            .WithSummary("The process chain's log as text/plain; Range: bytes=… answers 206, x-range: bytes=… answers 200 with x-content-range")
            .WithDescription("Query: runNumber=N (from 1) gives the log of that run instead of the latest run's (Steep 6.5: every run " +
                "has its own log); forceDownload=true sends the log as an attachment named <id>.log (<id>.<N>.log for a later run). x-range works like Range " +
                "but answers 200 with 'x-content-range: bytes FIRST-LAST/SIZE', so the part may be compressed (Steep's web UI " +
                "sends x-range: bytes=-2000000). An unsatisfiable range answers 416.")
            .Produces<string>(StatusCodes.Status200OK, "text/plain")
            .Produces<string>(StatusCodes.Status206PartialContent, "text/plain")
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status416RangeNotSatisfiable, ApiResults.TextContentType);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        int? runNumber = null;
        if (context.Request.Query.TryGetValue("runNumber", out var given))
        {
            if (given.Count != 1) return ApiResults.BadRequest("Parameter 'runNumber' must be given once");
            if (!ProcessChainEndpoints.TryParseRunNumber(given[0], out int n, out var error)) return ApiResults.BadRequest("Parameter 'runNumber': " + error);
            runNumber = n;
        }
        // only chains the store knows have logs: the id never names an arbitrary file
        if (await steep.ProcessChains.GetAsync(id, ct) is not { } chain) return ProcessChainEndpoints.UnknownChain(id);
        // Steep 6.5: the latest run's log unless a run is asked for; each run has its own file
        if (runNumber is { } asked && asked > Math.Max(chain.RunNumber, 1)) return ProcessChainEndpoints.UnknownRun(id, asked, chain.RunNumber);
        int run = runNumber ?? Math.Max(chain.RunNumber, 1);
        var path = id.IndexOfAny(InvalidNameChars) < 0 && id is not ("." or "..")
            ? Path.GetFullPath(Path.Combine(steep.LogDirectory, ChainLogFileName.Of(id, run))) : null;
        bool download = string.Equals(context.Request.Query["forceDownload"], "true", StringComparison.OrdinalIgnoreCase);
        var downloadName = download ? ChainLogFileName.Of(id, run) : null;
        if (path is not null && !File.Exists(path)
            && await steep.FindLogOnOtherSilosAsync(ChainLogFileName.Of(id, run), chain.AgentId, ct) is { } elsewhere)
        {
            // the chain ran on another silo of the cluster: its log stays in that silo's data directory
            if (elsewhere.Log is { } remote) return Remote(context, remote, downloadName);
            return ApiResults.Text(StatusCodes.Status503ServiceUnavailable, elsewhere.Unavailable ?? "The silo that holds the log is not running");
        }
        if (path is null || !File.Exists(path))
            return ApiResults.NotFound(runNumber is null
                ? $"Process chain '{PageQuery.Shorten(id)}' has no log (it has not run yet, or its log was removed)"
                : $"Run {run} of process chain '{PageQuery.Shorten(id)}' has no log (it was removed, or the run ended before it wrote any)");
        if (context.Request.Headers["x-range"] is not [{ } extendedRange])
            return TypedResults.PhysicalFile(path, ApiResults.TextContentType, downloadName, enableRangeProcessing: true);
        return ExtendedRange(context, new FileInfo(path).Length, extendedRange, downloadName, (body, start, length, token) => CopyFileAsync(path, body, start, length, token));
    }

    /// <summary>
    /// A log on another silo, as the local one is served: whole (200), <c>Range</c> (206 with <c>Content-Range</c>) or
    /// <c>x-range</c> (200 with <c>x-content-range</c>); its bytes come through that silo in parts of at most 1 MB.
    /// </summary>
    private static IResult Remote(HttpContext context, RemoteLog log, string? downloadName)
    {
        CopyPart copy = (body, start, length, token) => CopyRemoteAsync(log, body, start, length, token);
        if (context.Request.Headers["x-range"] is [{ } extendedRange]) return ExtendedRange(context, log.Size, extendedRange, downloadName, copy);
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        response.Headers["x-steep-silo"] = log.Silo;
        if (downloadName is not null) response.Headers.ContentDisposition = $"attachment; filename=\"{downloadName}\"";
        long size = log.Size;
        // a Range header that is not one byte range is ignored, as for a local log (the whole log, 200)
        if (context.Request.Headers.Range is [{ } range] && TryParse(range, out var first, out var last))
        {
            var (start, end) = Bounds(first, last, size);
            if (size == 0 || start >= size || end < start)
            {
                response.Headers.ContentRange = $"bytes */{size}";
                return ApiResults.Text(StatusCodes.Status416RangeNotSatisfiable, $"Header 'Range' asks for bytes from {start}, but the log has {size} bytes: {RangeHelp}");
            }
            response.StatusCode = StatusCodes.Status206PartialContent;
            response.Headers.ContentRange = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{end}/{size}");
            response.ContentLength = end - start + 1;
            return Results.Stream(body => copy(body, start, end - start + 1, context.RequestAborted), ApiResults.TextContentType);
        }
        response.ContentLength = size;
        return Results.Stream(body => copy(body, 0, size, context.RequestAborted), ApiResults.TextContentType);
    }

    private delegate Task CopyPart(Stream body, long start, long length, CancellationToken ct);

    private static (long Start, long End) Bounds(long? first, long? last, long size) => first is null
        ? (Math.Max(0, size - last!.Value), size - 1)
        : (first.Value, Math.Min(last ?? long.MaxValue, size - 1));

    private static async Task CopyFileAsync(string path, Stream body, long start, long length, CancellationToken ct)
    {
        await using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 81920, useAsync: true);
        file.Seek(start, SeekOrigin.Begin);
        var buffer = new byte[81920];
        long left = length;
        while (left > 0)
        {
            int n = await file.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct);
            if (n == 0) break; // the log shrank: the client sees a short body rather than a hang
            await body.WriteAsync(buffer.AsMemory(0, n), ct);
            left -= n;
        }
    }

    private static async Task CopyRemoteAsync(RemoteLog log, Stream body, long start, long length, CancellationToken ct)
    {
        long offset = start, left = length;
        while (left > 0)
        {
            var data = await log.ReadAsync(offset, (int)Math.Min(left, SiloGrain.MaxChunk), ct);
            if (data.Length == 0) break; // removed or shrunk meanwhile: a short body rather than a hang
            await body.WriteAsync(data, ct);
            offset += data.Length;
            left -= data.Length;
        }
    }

    /// <summary>Steep's <c>x-range</c>: the part with status 200 (browsers do not let a range request be compressed).</summary>
    private static IResult ExtendedRange(HttpContext context, long size, string header, string? downloadName, CopyPart copy)
    {
        var response = context.Response;
        response.Headers.AcceptRanges = "bytes";
        if (!TryParse(header, out var first, out var last))
            return ApiResults.Text(StatusCodes.Status416RangeNotSatisfiable, $"Header 'x-range' is not a byte range: {RangeHelp}");
        var (start, end) = Bounds(first, last, size);
        if (size == 0 || start >= size || end < start)
        {
            if (size == 0 && first is null)
            {
                // the last N bytes of an empty log: nothing, and no range to name
                response.Headers["x-content-range"] = "bytes */0";
                return Results.Text("", ApiResults.TextContentType);
            }
            response.Headers.ContentRange = $"bytes */{size}";
            return ApiResults.Text(StatusCodes.Status416RangeNotSatisfiable,
                $"Header 'x-range' asks for bytes from {start}, but the log has {size} bytes: {RangeHelp}");
        }
        long length = end - start + 1;
        response.Headers["x-content-range"] = string.Create(CultureInfo.InvariantCulture, $"bytes {start}-{end}/{size}");
        if (downloadName is not null) response.Headers.ContentDisposition = $"attachment; filename=\"{downloadName}\"";
        response.ContentLength = length;
        return Results.Stream(body => copy(body, start, length, context.RequestAborted), ApiResults.TextContentType);
    }

    /// <summary>Parses <c>bytes=a-b</c>, <c>bytes=a-</c> or <c>bytes=-n</c> (one range; Steep reads no more).</summary>
    private static bool TryParse(string header, out long? first, out long? last)
    {
        first = last = null;
        var value = header.Trim();
        if (!value.StartsWith("bytes=", StringComparison.OrdinalIgnoreCase)) return false;
        var spec = value["bytes=".Length..].Trim();
        int dash = spec.IndexOf('-');
        if (dash < 0 || spec.IndexOf(',') >= 0) return false;
        var a = spec[..dash].Trim();
        var b = spec[(dash + 1)..].Trim();
        const NumberStyles digits = NumberStyles.None;
        if (a.Length == 0)
        {
            if (!long.TryParse(b, digits, CultureInfo.InvariantCulture, out var n) || n == 0) return false;
            last = n;
            return true;
        }
        if (!long.TryParse(a, digits, CultureInfo.InvariantCulture, out var f)) return false;
        first = f;
        if (b.Length == 0) return true;
        if (!long.TryParse(b, digits, CultureInfo.InvariantCulture, out var l) || l < f) return false;
        last = l;
        return true;
    }
}
