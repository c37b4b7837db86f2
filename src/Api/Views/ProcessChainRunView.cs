using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Serialization;
using Steep.Persistence;

namespace Steep.Api.Views;

/// <summary>How a run of a process chain is shown (Steep 6.5's run object, with its number).</summary>
internal static class ProcessChainRunView
{
    /// <summary>runNumber, agentId, startTime, endTime, status and errorMessage; absent values are left out, as Steep does.</summary>
    public static JsonObject Of(ProcessChainRun run)
    {
        var node = new JsonObject { ["runNumber"] = run.RunNumber };
        if (run.AgentId is not null) node["agentId"] = run.AgentId;
        if (run.StartTime is { } start) node["startTime"] = JsonSerializer.SerializeToNode(start, SteepJson.Options);
        if (run.EndTime is { } end) node["endTime"] = JsonSerializer.SerializeToNode(end, SteepJson.Options);
        node["status"] = run.Status;
        if (run.ErrorMessage is not null) node["errorMessage"] = run.ErrorMessage;
        return node;
    }
}
