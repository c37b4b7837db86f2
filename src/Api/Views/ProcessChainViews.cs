using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Core.Serialization;
using Steep.Persistence;

namespace Steep.Api.Views;

/// <summary>How process chains are shown: in full by id, without executables, results and error in lists.</summary>
internal static class ProcessChainViews
{
    /// <summary>A list item: id, submissionId, times, status, required capabilities (priority and agentId when set).</summary>
    public static JsonObject Summary(StoredProcessChain stored)
    {
        var c = stored.Chain with { Executables = [], Results = null, ErrorMessage = null };
        var node = (JsonObject)JsonSerializer.SerializeToNode(c, SteepJson.Options)!;
        node.Remove("executables");
        // the dashboard's chain lists show the agent without fetching each chain
        if (stored.AgentId is not null) node["agentId"] = stored.AgentId;
        return node;
    }

    /// <summary>The whole chain with the agent that runs or ran it and how often it was started.</summary>
    public static JsonObject Full(StoredProcessChain stored)
    {
        var node = (JsonObject)JsonSerializer.SerializeToNode(stored.Chain, SteepJson.Options)!;
        if (stored.AgentId is not null) node["agentId"] = stored.AgentId;
        node["totalRuns"] = stored.RunNumber;
        return node;
    }
}
