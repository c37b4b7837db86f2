using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.EventBus;
using Steep.Api.Http;
using Steep.Api.Views;
using Steep.Core.Models;
using Steep.Persistence;

namespace Steep.Api.Endpoints;

/// <summary><c>/processchains</c>: list, get and cancel process chains.</summary>
internal static class ProcessChainEndpoints
{
    // Steep 6's PAUSED is a valid filter, although nothing pauses chains yet
    private static readonly IReadOnlyList<string> ChainStatuses = [.. ProcessChainStatus.All, StoreStatuses.Paused];

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/processchains").WithTags("Process chains");

        group.MapGet("", ListAsync).WithName("getProcessChains")
            .WithSummary("Process chains, newest first, without executables, results and errorMessage")
            .WithDescription("Query: submissionId, status (a process chain status), size (default 10), offset (default 0). " +
                "Headers x-page-size, x-page-offset and x-page-total describe the page.")
            .Produces<ProcessChain[]>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType);

        group.MapGet("/{id}", GetAsync).WithName("getProcessChainById")
            .WithSummary("One process chain with executables, results, errorMessage, agentId and totalRuns")
            .Produces<ProcessChain>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);

        group.MapGet("/{id}/runs", ListRunsAsync).WithName("getProcessChainRuns")
            .WithSummary("The runs (execution attempts) of a process chain, oldest first: runNumber, agentId, startTime, endTime, status, errorMessage")
            .WithDescription("Every start of a chain is a run: the first run, a retry, a run again after a crash. A run in " +
                "progress has status RUNNING; a run whose process went away without an end has status ERROR and says so.")
            .Produces<JsonArray>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);

        group.MapGet("/{id}/runs/{runNumber}", GetRunAsync).WithName("getProcessChainRun")
            .WithSummary("One run of a process chain by its number (from 1 to totalRuns)")
            .Produces<JsonObject>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);

        group.MapPut("/{id}", UpdateAsync).WithName("putProcessChain")
            .WithSummary("Cancel a process chain ({\"status\": \"CANCELLED\"}) and/or change its priority ({\"priority\": 10})")
            .WithDescription("Only REGISTERED, PAUSED and RUNNING chains take a new priority (422 otherwise). " +
                "The answer is the chain without executables and results.")
            .DocumentBody(typeof(StatusUpdate), "{\"status\": \"CANCELLED\"} or {\"priority\": 10} or both", "application/json")
            .Produces<ProcessChain>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType)
            .Produces<string>(StatusCodes.Status422UnprocessableEntity, ApiResults.TextContentType);
    }

    private static async Task<IResult> ListAsync(HttpContext context, ISteepInstance steep, CancellationToken ct)
    {
        var query = PageQuery.Parse(context.Request.Query, ChainStatuses, "process chain", out var error);
        if (query is null) return ApiResults.BadRequest(error!);
        string? submissionId = null;
        if (context.Request.Query.TryGetValue("submissionId", out var ids))
        {
            if (ids.Count != 1 || string.IsNullOrWhiteSpace(ids[0]))
                return ApiResults.BadRequest("Parameter 'submissionId' must be given once and must not be empty");
            submissionId = ids[0]!.Trim();
        }
        var page = await steep.ProcessChains.ListAsync(submissionId, query.Status, query.Offset, query.Size, newestFirst: true, ct);
        query.SetHeaders(context.Response, page.Total);
        var views = await Task.WhenAll(page.Items.Select(c => WithProgressAsync(ProcessChainViews.Summary(c), c, steep, ct)));
        return ApiResults.Json(views.ToList());
    }

    private static async Task<IResult> GetAsync(string id, ISteepInstance steep, CancellationToken ct) =>
        await steep.ProcessChains.GetAsync(id, ct) is { } c ? ApiResults.Json(await WithProgressAsync(ProcessChainViews.Full(c), c, steep, ct)) : UnknownChain(id);

    /// <summary>Adds Steep's <c>estimatedProgress</c> to a running chain whose progress a progress estimator plugin knows.</summary>
    private static async Task<System.Text.Json.Nodes.JsonObject> WithProgressAsync(System.Text.Json.Nodes.JsonObject node, StoredProcessChain c, ISteepInstance steep, CancellationToken ct)
    {
        if (c.Chain.Status == ProcessChainStatus.Running && await steep.EstimatedProgressAsync(c, ct) is { } p) node["estimatedProgress"] = p;
        return node;
    }

    private static async Task<IResult> ListRunsAsync(string id, ISteepInstance steep, CancellationToken ct)
    {
        if (await steep.ProcessChains.GetAsync(id, ct) is null) return UnknownChain(id);
        var runs = await steep.ProcessChains.ListRunsAsync(id, ct);
        return ApiResults.Json(new JsonArray(runs.Select(r => (JsonNode)ProcessChainRunView.Of(r)).ToArray()));
    }

    private static async Task<IResult> GetRunAsync(string id, string runNumber, ISteepInstance steep, CancellationToken ct)
    {
        if (!TryParseRunNumber(runNumber, out int n, out var error)) return ApiResults.BadRequest(error!);
        if (await steep.ProcessChains.GetAsync(id, ct) is not { } chain) return UnknownChain(id);
        return await steep.ProcessChains.GetRunAsync(id, n, ct) is { } run
            ? ApiResults.Json(ProcessChainRunView.Of(run))
            : UnknownRun(id, n, chain.RunNumber);
    }

    /// <summary>A run number as a client writes it: a whole number from 1.</summary>
    internal static bool TryParseRunNumber(string? text, out int runNumber, out string? error)
    {
        error = null;
        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out runNumber) && runNumber >= 1)
            return true;
        error = $"Run number '{PageQuery.Shorten(text ?? "")}' is not a whole number from 1 (runs are counted from 1 to the chain's totalRuns)";
        return false;
    }

    internal static IResult UnknownRun(string id, int runNumber, int totalRuns) =>
        ApiResults.NotFound(totalRuns == 0
            ? $"Process chain '{PageQuery.Shorten(id)}' has not run yet (it has no run {runNumber})"
            : $"Process chain '{PageQuery.Shorten(id)}' has no run {runNumber} (its runs are 1 to {totalRuns})");

    private static async Task<IResult> UpdateAsync(string id, HttpContext context, ISteepInstance steep, SteepApiOptions options,
        EventBusHub hub, CancellationToken ct)
    {
        var (update, error) = await UpdateBody.ReadAsync(context.Request, ct);
        if (error is not null) return error;
        if (update!.Priority is { } priority)
        {
            // as Steep 6.9: checked first, so that a refused priority changes nothing
            var change = await steep.SetProcessChainPriorityAsync(id, priority, ct);
            if (change == PriorityChange.NotFound) return UnknownChain(id);
            if (change == PriorityChange.Finished)
            {
                var status = (await steep.ProcessChains.GetAsync(id, ct))?.Chain.Status ?? "";
                return WorkflowEndpoints.PriorityOfFinished("process chain", status);
            }
            hub.ProcessChainPriorityChanged(id, priority);
        }
        StoredProcessChain? c;
        if (update.Cancel)
        {
            if (!await steep.CancelProcessChainAsync(id, ct)) return UnknownChain(id);
            // a running chain ends once its agent has killed its processes: answer with that end when it comes in time
            c = await Settling.WaitAsync(token => steep.ProcessChains.GetAsync(id, token),
                c => c.Chain.Status is not (ProcessChainStatus.Registered or ProcessChainStatus.Running), options.CancelWait, ct);
        }
        else
        {
            c = await steep.ProcessChains.GetAsync(id, ct);
        }
        return c is null ? UnknownChain(id) : ApiResults.Json(ProcessChainViews.Summary(c));
    }

    internal static IResult UnknownChain(string id) =>
        ApiResults.NotFound($"There is no process chain with ID '{PageQuery.Shorten(id)}'");
}
