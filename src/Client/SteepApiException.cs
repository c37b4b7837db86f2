using System.Net;

namespace Steep.Client;

/// <summary>
/// The server answered a request with an error status (4xx or 5xx), or with a body this client cannot read.
/// <see cref="ServerMessage"/> holds what the server said, such as why a workflow is invalid.
/// </summary>
public sealed class SteepApiException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="statusCode">The HTTP status code of the response.</param>
    /// <param name="serverMessage">The server's message (the response body), possibly empty.</param>
    /// <param name="method">The request method, such as <c>POST</c>.</param>
    /// <param name="requestUri">The request URI.</param>
    /// <param name="innerException">The cause, when the response could not be read.</param>
    public SteepApiException(HttpStatusCode statusCode, string serverMessage, string method, Uri? requestUri, Exception? innerException = null)
        : base(Describe(statusCode, serverMessage, method, requestUri), innerException)
    {
        StatusCode = statusCode;
        ServerMessage = serverMessage;
        Method = method;
        RequestUri = requestUri;
    }

    /// <summary>The HTTP status code of the response.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>What the server said (its plain-text error message), or a description of the unreadable response.</summary>
    public string ServerMessage { get; }

    /// <summary>The request method, such as <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The request URI.</summary>
    public Uri? RequestUri { get; }

    private static string Describe(HttpStatusCode statusCode, string serverMessage, string method, Uri? requestUri)
    {
        var what = $"{method} {requestUri?.PathAndQuery ?? "?"}";
        var status = $"{(int)statusCode} {statusCode}";
        return string.IsNullOrWhiteSpace(serverMessage) ? $"{what}: {status}" : $"{what}: {status}: {serverMessage}";
    }
}
