using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Steep.Api.Http;

/// <summary>
/// Last line of defence: a request error the server detects becomes its 4xx with a plain message, anything
/// unexpected a 500 with a generic message (logged here, never sent: no stack traces to clients).
/// </summary>
internal sealed class ErrorHandlingMiddleware(RequestDelegate next, ILogger<ErrorHandlingMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away; nobody is left to answer
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, e.StatusCode, e.Message);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Unhandled error in {Method} {Path}", context.Request.Method, context.Request.Path);
            await WriteAsync(context, StatusCodes.Status500InternalServerError,
                "Internal server error: the request could not be completed. The server log has the details");
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted) return; // too late for a status code; the connection ends the response
        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = ApiResults.TextContentType;
        await context.Response.WriteAsync(message, context.RequestAborted);
    }
}
