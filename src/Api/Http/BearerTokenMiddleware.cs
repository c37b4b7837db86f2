using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Steep.Api.Http;

/// <summary>Requires <c>Authorization: Bearer &lt;token&gt;</c> on every path but <c>/health</c> when a token is configured.</summary>
internal sealed class BearerTokenMiddleware(RequestDelegate next, byte[] expectedHash)
{
    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task InvokeAsync(HttpContext context)
    {
        // health checks come from load balancers and orchestrators that hold no credentials
        if (context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase))
        {
            await next(context);
            return;
        }
        string header = context.Request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (!header.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
        {
            await ChallengeAsync(context, null,
                "Authentication required: send the header 'Authorization: Bearer <token>' with the token configured in steep.http.token");
            return;
        }
        // hashing first gives equal lengths, so the comparison takes the same time whatever the client sent
        var given = Hash(header[scheme.Length..].Trim());
        if (!CryptographicOperations.FixedTimeEquals(given, expectedHash))
        {
            await ChallengeAsync(context, "invalid_token", "The bearer token is not valid");
            return;
        }
        await next(context);
    }

    private static Task ChallengeAsync(HttpContext context, string? error, string message)
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers[HeaderNames.WWWAuthenticate] = error is null
            ? "Bearer realm=\"steep\"" : $"Bearer realm=\"steep\", error=\"{error}\"";
        context.Response.ContentType = ApiResults.TextContentType;
        return context.Response.WriteAsync(message, context.RequestAborted);
    }
}
