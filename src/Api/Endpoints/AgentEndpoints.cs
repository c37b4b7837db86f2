using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;
using Steep.Api.Views;

namespace Steep.Api.Endpoints;

/// <summary><c>/agents</c>: the agents and what they are doing.</summary>
internal static class AgentEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/agents").WithTags("Agents");
        group.MapGet("", async (ISteepInstance steep, CancellationToken ct) =>
                ApiResults.Json((await steep.GetAgentsAsync(ct)).Select(AgentView.From).ToList()))
            .WithName("getAgents").WithSummary("All agents: id, available, capabilities, startTime, stateChangedTime, processChainId")
            .Produces<AgentView[]>(StatusCodes.Status200OK);
        group.MapGet("/{id}", async (string id, ISteepInstance steep, CancellationToken ct) =>
                (await steep.GetAgentsAsync(ct)).FirstOrDefault(a => a.Id == id) is { } a
                    ? ApiResults.Json(AgentView.From(a))
                    : ApiResults.NotFound($"There is no agent with ID '{PageQuery.Shorten(id)}'"))
            .WithName("getAgentById").WithSummary("One agent")
            .Produces<AgentView>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);
    }
}
