using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;
using Steep.Api.Views;
using Steep.Core.Models;

namespace Steep.Api.Endpoints;

/// <summary><c>/services</c>: the service metadata.</summary>
internal static class ServiceEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/services").WithTags("Services");
        group.MapGet("", (ISteepInstance steep) => ApiResults.Json(steep.ServiceMetadata.Select(ServiceViews.From).ToList()))
            .WithName("getServices").WithSummary("All service metadata, in Steep 6's camelCase (dataType, fileSuffix, runtimeArgs, requiredCapabilities)")
            .Produces<Service[]>(StatusCodes.Status200OK);
        group.MapGet("/{id}", (string id, ISteepInstance steep) =>
                steep.ServiceMetadata.FirstOrDefault(s => s.Id == id) is { } s
                    ? ApiResults.Json(ServiceViews.From(s))
                    : ApiResults.NotFound($"There is no service with ID '{PageQuery.Shorten(id)}'"))
            .WithName("getServiceById").WithSummary("One service's metadata")
            .Produces<Service>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);
    }
}
