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

    /// <summary>One process chain: what the graph colours and the timeline draws.</summary>
    internal sealed record Node(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("status")] string? Status,
        [property: JsonPropertyName("services")] IReadOnlyList<string> Services,
        [property: JsonPropertyName("agentId")] string? AgentId,
        [property: JsonPropertyName("startTime")] DateTimeOffset? StartTime,
        [property: JsonPropertyName("endTime")] DateTimeOffset? EndTime);

    /// <summary>The answer: nodes, and edges as pairs of node indexes (producer, consumer).</summary>
    internal sealed record Graph(
        [property: JsonPropertyName("nodes")] IReadOnlyList<Node> Nodes,
        [property: JsonPropertyName("edges")] IReadOnlyList<int[]> Edges);

    private static async Task<IResult> GetAsync(string id, ISteepInstance steep, CancellationToken ct)
    {
        if (await steep.Submissions.GetAsync(id, ct) is null)
            return ApiResults.NotFound($"There is no submission with ID '{PageQuery.Shorten(id)}'");
        var chains = (await steep.ProcessChains.ListBySubmissionAsync(id, null, ct)).OrderBy(c => c.Sequence).ToList();
        return ApiResults.Json(Build(chains));
    }

    internal static Graph Build(IReadOnlyList<StoredProcessChain> chains)
    {
        var nodes = new List<Node>(chains.Count);
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < chains.Count; i++)
        {
            var c = chains[i].Chain;
            nodes.Add(new Node(c.Id, c.Status, c.Executables.Select(e => e.ServiceId).Distinct().ToList(),
                chains[i].AgentId, c.StartTime, c.EndTime));
            foreach (var a in Arguments(c, ArgumentTypes.Output)) producer.TryAdd(Normalize(a), i);
        }
        var edges = new List<int[]>();
        var seen = new HashSet<(int, int)>();
        for (int i = 0; i < chains.Count; i++)
        {
            foreach (var a in Arguments(chains[i].Chain, ArgumentTypes.Input))
            {
                // a file the producer wrote, or a file inside a directory it wrote (split → for-each over the pieces)
                for (var path = Normalize(a); path.Length > 0; path = Parent(path))
                {
                    if (!producer.TryGetValue(path, out int from)) continue;
                    if (from != i && seen.Add((from, i))) edges.Add([from, i]);
                    break;
                }
            }
        }
        return new Graph(nodes, edges);
    }

    private static IEnumerable<string> Arguments(ProcessChain c, string type) =>
        c.Executables.SelectMany(e => e.Arguments).Where(a => a.Type == type && a.Variable.Value.Length > 0).Select(a => a.Variable.Value);

    private static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    private static string Parent(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash <= 0 ? "" : path[..slash];
    }
}
