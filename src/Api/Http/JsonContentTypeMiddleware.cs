using Microsoft.AspNetCore.Http;

namespace Steep.Api.Http;

/// <summary>
/// Writes <c>Content-Type: application/json</c> without a charset on every JSON response, also on those written by
/// framework parts (the OpenAPI document): Steep's clients compare the header with <c>application/json</c> exactly.
/// </summary>
internal sealed class JsonContentTypeMiddleware(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var response = context.Response;
        response.OnStarting(() =>
        {
            if (response.ContentType is { } type && type.StartsWith("application/json;", StringComparison.OrdinalIgnoreCase))
                response.ContentType = ApiResults.JsonContentType;
            return Task.CompletedTask;
        });
        return next(context);
    }
}
