using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;
using Steep.Core.Serialization;
using Steep.Persistence.Search;

namespace Steep.Api.Endpoints;

/// <summary><c>GET /search</c>: Steep 6's full-text search over submissions and process chains.</summary>
internal static class SearchEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/search", SearchAsync).WithName("search").WithTags("Search")
            .WithSummary("Search submissions (type workflow) and process chains (type processChain) with Steep's query language")
            .WithDescription("Query: q (terms, \"exact text\", dates yyyy-MM-dd[THH:mm[:ss]] with < <= > >= or A..B, in:attribute, " +
                "is:workflow, is:processchain, attribute:term filters; attributes id, name, error, rcs, source, status, start, end " +
                "and Steep's aliases), size (default 10), offset (default 0), count (none, estimate or exact; default estimate, " +
                "an upper bound from the indexes where a store can give one, else exact), timeZone (an IANA time zone for dates; default the server's). Workflows come first, then " +
                "process chains, newest first within each. The answer has counts per type and total (unless count=none) and the " +
                "results, each with matches: the attributes where terms were found (locator, fragment, termMatches with indices).")
            .Produces<JsonObject>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType);
    }

    private static async Task<IResult> SearchAsync(HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        var request = context.Request.Query;
        var page = PageQuery.Parse(request, [], "search", out var error);
        if (page is null) return ApiResults.BadRequest(error!);
        if (!Single(request, "q", "", out var q, out error) || !Single(request, "count", "estimate", out var count, out error)
            || !Single(request, "timeZone", "", out var zoneName, out error))
            return ApiResults.BadRequest(error!);
        count = count.ToLowerInvariant();
        if (count is not ("none" or "estimate" or "exact"))
            return ApiResults.BadRequest($"Parameter 'count' must be one of none, estimate or exact (not '{PageQuery.Shorten(count)}')");
        TimeZoneInfo zone;
        try
        {
            zone = zoneName.Length == 0 ? TimeZoneInfo.Local : TimeZoneInfo.FindSystemTimeZoneById(zoneName);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return ApiResults.BadRequest($"Unknown time zone '{PageQuery.Shorten(zoneName)}' in parameter 'timeZone' (use an IANA name such as Europe/Berlin or UTC)");
        }
        SearchQuery query;
        try
        {
            query = SearchQueryParser.Parse(q, zone);
        }
        catch (SearchQueryException e)
        {
            return ApiResults.BadRequest("Invalid search query: " + e.Message);
        }

        var counting = count switch { "none" => SearchCount.None, "exact" => SearchCount.Exact, _ => SearchCount.Estimate };
        var found = await steep.Search.SearchAsync(query, page.Offset, page.Size, counting, ct);
        var results = new JsonArray();
        foreach (var hit in found.Items) results.Add(Result(query, hit));
        var body = new JsonObject();
        var response = context.Response;
        response.Headers["x-page-size"] = page.Size.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-page-offset"] = page.Offset.ToString(CultureInfo.InvariantCulture);
        if (found.Workflows is { } workflows && found.ProcessChains is { } chains)
        {
            if (page.Offset == 0 && found.Items.Count < page.Size)
            {
                // the first page holds every match: its numbers are exact, whatever an estimate said (as Steep does)
                workflows = found.Items.Count(h => h.Type == SearchTypes.Workflow);
                chains = found.Items.Count(h => h.Type == SearchTypes.ProcessChain);
            }
            body["counts"] = new JsonObject
            {
                [SearchTypes.Workflow] = workflows,
                [SearchTypes.ProcessChain] = chains,
                ["total"] = workflows + chains,
            };
            response.Headers["x-page-total"] = (workflows + chains).ToString(CultureInfo.InvariantCulture);
        }
        body["results"] = results;
        return ApiResults.Json(body);
    }

    /// <summary>Steep's search result object: id, type, requiredCapabilities, status, name, startTime, endTime, matches.</summary>
    private static JsonObject Result(SearchQuery query, SearchHit hit)
    {
        var node = new JsonObject
        {
            ["id"] = hit.Id,
            ["type"] = hit.Type,
            ["requiredCapabilities"] = new JsonArray(hit.RequiredCapabilities.Select(c => (JsonNode?)c).ToArray()),
            ["status"] = hit.Status,
        };
        if (hit.Name is not null) node["name"] = hit.Name;
        if (hit.StartTime is { } start) node["startTime"] = JsonSerializer.SerializeToNode(start, SteepJson.Options);
        if (hit.EndTime is { } end) node["endTime"] = JsonSerializer.SerializeToNode(end, SteepJson.Options);
        var matches = new JsonArray();
        foreach (var m in SearchMatcher.Matches(query, hit))
        {
            var terms = new JsonArray();
            foreach (var t in m.TermMatches)
                terms.Add(new JsonObject { ["term"] = t.Term, ["indices"] = new JsonArray(t.Indices.Select(i => (JsonNode?)i).ToArray()) });
            matches.Add(new JsonObject { ["locator"] = m.Locator, ["fragment"] = m.Fragment, ["termMatches"] = terms });
        }
        node["matches"] = matches;
        return node;
    }

    private static bool Single(IQueryCollection query, string name, string fallback, out string value, out string? error)
    {
        error = null;
        value = fallback;
        if (!query.TryGetValue(name, out var values)) return true;
        if (values.Count != 1)
        {
            error = $"Parameter '{name}' may be given only once";
            return false;
        }
        value = values[0]?.Trim() ?? "";
        return true;
    }
}
