using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;
using Steep.Plugins;

namespace Steep.Api.Endpoints;

/// <summary><c>/plugins</c>: the plugin descriptors, as Steep 6.9 answers them.</summary>
internal static class PluginEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/plugins").WithTags("Plugins");
        group.MapGet("", (ISteepInstance steep) => ApiResults.Json(steep.Plugins))
            .WithName("getPlugins").WithSummary("All configured plugins: type, name, version, scriptFile and the type's own keys")
            .Produces<PluginDescriptor[]>(StatusCodes.Status200OK);
        group.MapGet("/{name}", (string name, ISteepInstance steep) =>
                steep.Plugins.FirstOrDefault(p => p.Name == name) is { } p
                    ? ApiResults.Json(p)
                    : ApiResults.NotFound($"There is no plugin with name '{PageQuery.Shorten(name)}'"))
            .WithName("getPluginByName").WithSummary("One plugin's descriptor")
            .Produces<PluginDescriptor>(StatusCodes.Status200OK)
            .Produces<string>(StatusCodes.Status404NotFound, ApiResults.TextContentType);
    }
}
