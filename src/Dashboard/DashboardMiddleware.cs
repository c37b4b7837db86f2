using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Steep.Dashboard;

/// <summary>
/// Serves the dashboard: <c>index.html</c> for a browser's <c>GET /</c> (one that accepts <c>text/html</c>) and the
/// built files under <c>/assets/</c>. Every other request, and <c>GET /</c> from API clients, goes on to the API.
/// It runs before authentication: the page holds no data and asks for the token itself.
/// </summary>
internal sealed class DashboardMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        if (!HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method)) return next(context);
        string path = request.Path.Value ?? "/";
        DashboardAsset? asset = null;
        if (path is "/" or "/index.html")
        {
            if (path == "/")
            {
                // the same URL answers JSON (version information) to API clients, so caches must keep both apart
                context.Response.Headers.Vary = HeaderNames.Accept;
                if (!AcceptsHtml(request)) return next(context);
            }
            asset = DashboardAssets.Find("/index.html");
        }
        else if (path.StartsWith("/assets/", StringComparison.Ordinal) || path == "/favicon.svg")
        {
            asset = DashboardAssets.Find(path);
        }
        return asset is null ? next(context) : ServeAsync(context, asset);
    }

    internal static bool AcceptsHtml(HttpRequest request)
    {
        foreach (var value in request.Headers.Accept)
            if (value is not null && value.Contains("text/html", StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static async Task ServeAsync(HttpContext context, DashboardAsset asset)
    {
        var response = context.Response;
        response.Headers.ETag = asset.ETag;
        // hashed assets are cached for good; index.html is revalidated so a new build is picked up at once
        response.Headers.CacheControl = asset.Immutable ? "public, max-age=31536000, immutable" : "no-cache";
        if (context.Request.Headers.IfNoneMatch.Any(v => v == asset.ETag))
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        response.ContentType = asset.ContentType;
        response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await response.Body.WriteAsync(asset.Content, context.RequestAborted);
    }
}

/// <summary>Adds the dashboard to an ASP.NET Core pipeline.</summary>
public static class DashboardExtensions
{
    /// <summary>Serves the embedded dashboard; put it before authentication and the API endpoints.</summary>
    public static IApplicationBuilder UseSteepDashboard(this IApplicationBuilder app) =>
        app.UseMiddleware<DashboardMiddleware>();
}
