using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Steep.Api.Http;

namespace Steep.Api.Endpoints;

/// <summary><c>GET /</c> (version information) and <c>GET /health</c>.</summary>
internal static class InfoEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/", (ISteepInstance steep) => ApiResults.Json(steep.Version))
            .WithName("getInformation").WithTags("Information").WithSummary("Version, build, commit and build timestamp")
            .Produces<SteepVersion>(StatusCodes.Status200OK);

        app.MapGet("/health", HealthAsync)
            .WithName("getHealth").WithTags("Information")
            .WithSummary("{\"health\": true, …parts} when every part works, else 503; needs no token")
            .Produces<JsonObject>(StatusCodes.Status200OK)
            .Produces<JsonObject>(StatusCodes.Status503ServiceUnavailable);
    }

    private static async Task<IResult> HealthAsync(ISteepInstance steep, CancellationToken ct)
    {
        IReadOnlyList<HealthPart> parts;
        try
        {
            parts = await steep.CheckHealthAsync(ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            parts = [new HealthPart("instance", false, Message: e.Message)];
        }
        bool healthy = parts.All(p => p.Healthy);
        var body = new JsonObject { ["health"] = healthy };
        foreach (var p in parts)
        {
            var part = new JsonObject { ["health"] = p.Healthy };
            if (p.Count is { } count) part["count"] = count;
            if (p.Message is { } message) part["message"] = message;
            body[p.Name] = part;
        }
        return ApiResults.Json(body, healthy ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
    }
}
