using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;

namespace Steep.Api.Endpoints;

/// <summary>
/// <c>GET /workflows/{id}/results</c>: a submission's results a page at a time. A for-each over 10,000 items ends with
/// 10,000 output variables (close to a megabyte); a page showing the first few need not fetch them all.
/// </summary>
internal static class ResultEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/workflows/{id}/results", GetAsync).WithName("getSubmissionResults").WithTags("Submissions")
            .WithSummary("The submission's results (output variable → files), a page of variables in the order of the results object")
            .WithDescription("Query: size (default 10), offset (default 0). Headers x-page-size, x-page-offset and " +
                "x-page-total (the number of output variables) describe the page. A submission without results has none.")
            .Produces<IReadOnlyDictionary<string, IReadOnlyList<string>>>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);
    }

    private static async Task<IResult> GetAsync(string id, HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        if (context.Request.Query.ContainsKey("status"))
            return ApiResults.BadRequest("Parameter 'status' does not apply to results: page them with size and offset");
        var query = PageQuery.Parse(context.Request.Query, [], "result", out var error);
        if (query is null) return ApiResults.BadRequest(error!);
        if (await steep.Submissions.GetResultsAsync(id, query.Offset, query.Size, ct) is not { } results)
            return ApiResults.NotFound($"There is no submission with ID '{PageQuery.Shorten(id)}'");
        var page = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var (name, files) in results.Items) page[name] = files;
        query.SetHeaders(context.Response, results.Total);
        return ApiResults.Json(page);
    }
}
