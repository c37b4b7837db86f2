using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;

namespace Steep.Api.Endpoints;

/// <summary><c>/vms</c>: virtual machines of the cloud manager. There is no cloud manager yet, so there are none.</summary>
internal static class VmEndpoints
{
    private static readonly string[] VmStatuses =
        ["CREATING", "PROVISIONING", "RUNNING", "LEFT", "DESTROYING", "DESTROYED", "ERROR"];

    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/vms").WithTags("VMs");
        group.MapGet("", (HttpContext context) =>
            {
                var query = PageQuery.Parse(context.Request.Query, VmStatuses, "VM", out var error);
                if (query is null) return ApiResults.BadRequest(error!);
                query.SetHeaders(context.Response, 0);
                return ApiResults.Json(Array.Empty<object>());
            })
            .WithName("getVMs").WithSummary("Virtual machines (always empty: no cloud manager is configured)")
            .Produces<object[]>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status400BadRequest, ApiResults.TextContentType);
        group.MapGet("/{id}", (string id) => ApiResults.NotFound($"There is no VM with ID '{PageQuery.Shorten(id)}'"))
            .WithName("getVMById").WithSummary("One virtual machine (none exist)")
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);
    }
}
