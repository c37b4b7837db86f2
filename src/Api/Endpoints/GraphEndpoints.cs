using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;
using Steep.Core.Models;
using Steep.Persistence;

namespace Steep.Api.Endpoints;

/// <summary>
/// <c>GET /workflows/{id}/graph</c>: every process chain of a submission in one compact answer, with the data-flow
/// edges between them, for the dashboard's graph and timeline (10,000 chains are one request, not 10,000).
/// </summary>
internal static class GraphEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/workflows/{id}/graph", GetAsync).WithName("getSubmissionGraph").WithTags("Submissions")
            .WithSummary("The submission's process chains (oldest first) and the edges between them")
            .WithDescription("An edge [a, b] (indexes into nodes) says that chain b takes as input a file or a file in a " +
                "directory that chain a wrote as output, as the executables' arguments show.")
            .Produces<Graph>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);
    }

    /// <summary>
    /// The answer, column by column (10,000 chains are about 300 KiB instead of 1.8 MiB as objects): chain i has the
    /// id <c>idPrefix + ids[i]</c>, the status <c>statuses[status[i]]</c>, the services <c>services[service[i]]</c>,
    /// the agent <c>agents[agent[i]]</c> (-1: none) and ran from <c>t0 + start[i]</c> to <c>t0 + end[i]</c>
    /// milliseconds (null: not yet). <c>edges</c> holds pairs of chain indexes: producer, consumer, producer, …
    /// </summary>
    internal sealed record Graph(
        [property: JsonPropertyName("idPrefix")] string IdPrefix,
        [property: JsonPropertyName("ids")] IReadOnlyList<string> Ids,
        [property: JsonPropertyName("statuses")] IReadOnlyList<string> Statuses,
        [property: JsonPropertyName("status")] IReadOnlyList<int> Status,
        [property: JsonPropertyName("services")] IReadOnlyList<IReadOnlyList<string>> Services,
        [property: JsonPropertyName("service")] IReadOnlyList<int> Service,
        [property: JsonPropertyName("agents")] IReadOnlyList<string> Agents,
        [property: JsonPropertyName("agent")] IReadOnlyList<int> Agent,
        [property: JsonPropertyName("t0")] DateTimeOffset? T0,
        [property: JsonPropertyName("start")] IReadOnlyList<long?> Start,
        [property: JsonPropertyName("end")] IReadOnlyList<long?> End,
        [property: JsonPropertyName("edges")] IReadOnlyList<int> Edges);

    private static async Task<IResult> GetAsync(string id, HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        if (await steep.Submissions.GetSummaryAsync(id, ct) is not { } submission)
            return ApiResults.NotFound($"There is no submission with ID '{PageQuery.Shorten(id)}'");
        // a finished submission's chains no longer change: its end time and counts name the graph, so a browser that
        // has it already gets a 304 without the 10,000 chains being read again
        if (submission.EndTime is { } end && submission.RunningProcessChains == 0)
        {
            var etag = $"\"{submission.Status}-{end.UtcTicks}-{submission.TotalProcessChains}\"";
            context.Response.Headers.ETag = etag;
            context.Response.Headers.CacheControl = "no-cache";
            if (context.Request.Headers.IfNoneMatch.Any(v => v == etag)) return Results.StatusCode(StatusCodes.Status304NotModified);
        }
        // only what the graph needs of each chain: reading 10,000 chains in full took ten times as long
        return ApiResults.Json(Build(await steep.ProcessChains.ListGraphAsync(id, ct)));
    }

    internal static Graph Build(IReadOnlyList<ChainGraphRow> chains)
    {
        int n = chains.Count;
        string prefix = CommonPrefix(chains);
        var statuses = new Table<string>(StringComparer.Ordinal);
        var serviceLists = new Dictionary<string, int>(StringComparer.Ordinal);
        var services = new List<IReadOnlyList<string>>();
        var agents = new Table<string>(StringComparer.Ordinal);
        var ids = new string[n];
        var status = new int[n];
        var service = new int[n];
        var agent = new int[n];
        var start = new long?[n];
        var end = new long?[n];
        DateTimeOffset? t0 = chains.Select(c => c.StartTime).Where(t => t is not null).Min();
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < n; i++)
        {
            var c = chains[i];
            ids[i] = c.Id[prefix.Length..];
            status[i] = statuses.IndexOf(c.Status);
            var list = c.Services;
            var key = string.Join('\n', list);
            if (!serviceLists.TryGetValue(key, out service[i]))
            {
                service[i] = serviceLists[key] = services.Count;
                services.Add(list);
            }
            agent[i] = c.AgentId is { } a ? agents.IndexOf(a) : -1;
            if (t0 is { } origin)
            {
                start[i] = c.StartTime is { } s ? (long)(s - origin).TotalMilliseconds : null;
                end[i] = c.EndTime is { } e ? (long)(e - origin).TotalMilliseconds : null;
            }
            foreach (var o in c.Outputs) producer.TryAdd(Normalize(o), i);
        }
        var edges = new List<int>();
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < n; i++)
        {
            foreach (var input in chains[i].Inputs)
            {
                // a file the producer wrote, or a file inside a directory it wrote (split → for-each over the pieces)
                for (var path = Normalize(input); path.Length > 0; path = Parent(path))
                {
                    if (!producer.TryGetValue(path, out int from)) continue;
                    if (from != i && seen.Add((from, i)))
                    {
                        edges.Add(from);
                        edges.Add(i);
                    }
                    break;
                }
            }
        }
        return new Graph(prefix, ids, statuses.Items, status, services, service, agents.Items, agent, t0, start, end, edges);
    }

    /// <summary>Chain ids begin with their submission's id: sent once, the rest of the ids shrink to a few characters.</summary>
    private static string CommonPrefix(IReadOnlyList<ChainGraphRow> chains)
    {
        if (chains.Count == 0) return "";
        var prefix = chains[0].Id.AsSpan();
        foreach (var c in chains)
        {
            int k = prefix.CommonPrefixLength(c.Id);
            prefix = prefix[..k];
        }
        return prefix.ToString();
    }

    /// <summary>Distinct values in order of first appearance, each with its index.</summary>
    private sealed class Table<T>(IEqualityComparer<T> comparer) where T : notnull
    {
        private readonly Dictionary<T, int> _index = new(comparer);
        public List<T> Items { get; } = [];

        public int IndexOf(T value)
        {
            if (_index.TryGetValue(value, out int i)) return i;
            _index[value] = Items.Count;
            Items.Add(value);
            return Items.Count - 1;
        }
    }

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "" : path[..slash];
    }
}
