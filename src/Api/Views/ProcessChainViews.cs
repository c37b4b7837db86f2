using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Serialization;
using Steep.Persistence;

namespace Steep.Api.Views;

/// <summary>How process chains are shown: in full by id, without executables, results and error in lists.</summary>
internal static class ProcessChainViews
{
    /// <summary>A list item: id, submissionId, times, status, required capabilities, priority, agent and runs.</summary>
    public static JsonObject Summary(StoredProcessChain stored)
    {
        var c = stored.Chain with { Executables = [], Results = null, ErrorMessage = null };
        var node = Node(c, stored);
        node.Remove("executables");
        // the dashboard's chain lists show the agent without fetching each chain
        if (stored.AgentId is not null) node["agentId"] = stored.AgentId;
        return node;
    }

    /// <summary>The whole chain with the agent that runs or ran it and how often it was started.</summary>
    public static JsonObject Full(StoredProcessChain stored) => Node(stored.Chain, stored);

    private static JsonObject Node(Core.Models.ProcessChain chain, StoredProcessChain stored)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(chain, SteepJson.Options)!;
        // Steep leaves the default priority out (Jackson NON_DEFAULT)
        if (chain.Priority is null or 0) node.Remove("priority");
        if (stored.AgentId is not null) node["agentId"] = stored.AgentId;
        // Steep 6: the number of the current (or last) run, only once there was one, and how many runs there were
        if (stored.RunNumber > 0) node["runNumber"] = stored.RunNumber;
        node["totalRuns"] = stored.RunNumber;
        return node;
    }
}
