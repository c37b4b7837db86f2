using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Steep.Client.Internal;

namespace Steep.Client;

/// <summary>
/// A typed client for the HTTP API of a Steep server: submit workflows, follow and cancel submissions and process
/// chains, read logs, agents, services, VMs and metrics, and watch the server's events.
/// </summary>
/// <remarks>
/// <para>Every method is asynchronous and takes a <see cref="CancellationToken"/>. An error status (4xx, 5xx) from the
/// server is thrown as <see cref="SteepApiException"/> with the server's message; <c>Get…</c> methods return null
/// when the server answers 404 instead. Failures below HTTP (the server cannot be reached) surface as
/// <see cref="HttpRequestException"/>.</para>
/// <para>An instance is safe to use from many threads at once. Dispose it when it created its own
/// <see cref="HttpClient"/> (the <see cref="SteepClient(Uri, string?)"/> constructor); disposing it never disposes an
/// <see cref="HttpClient"/> that was passed in.</para>
/// </remarks>
public sealed partial class SteepClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttpClient;
    private readonly AuthenticationHeaderValue? _authorization;
    private int _disposed;

    /// <summary>Creates a client with its own <see cref="HttpClient"/>, which <see cref="Dispose"/> releases.</summary>
    /// <param name="baseAddress">The server's address, such as <c>http://localhost:8080</c>; may include a path prefix.</param>
    /// <param name="bearerToken">A token sent as <c>Authorization: Bearer …</c> with every request; null to send none.</param>
    public SteepClient(Uri baseAddress, string? bearerToken = null)
        : this(new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5), AutomaticDecompression = DecompressionMethods.All }),
            baseAddress, bearerToken, ownsHttpClient: true)
    {
    }

    /// <summary>Creates a client that sends its requests through <paramref name="httpClient"/> to its <see cref="HttpClient.BaseAddress"/>.</summary>
    /// <param name="httpClient">The client to use; it is not disposed with this one. Its <see cref="HttpClient.BaseAddress"/> must be set.</param>
    /// <param name="bearerToken">A token sent as <c>Authorization: Bearer …</c> with every request; null to send none.</param>
    /// <exception cref="ArgumentException">The HTTP client has no base address.</exception>
    public SteepClient(HttpClient httpClient, string? bearerToken = null)
        : this(httpClient, (httpClient ?? throw new ArgumentNullException(nameof(httpClient))).BaseAddress
            ?? throw new ArgumentException("The HttpClient has no BaseAddress: set it or pass the server's address", nameof(httpClient)),
            bearerToken, ownsHttpClient: false)
    {
    }

    /// <summary>Creates a client that sends its requests through <paramref name="httpClient"/> to <paramref name="baseAddress"/>.</summary>
    /// <param name="httpClient">The client to use; it is not disposed with this one.</param>
    /// <param name="baseAddress">The server's address, such as <c>http://localhost:8080</c>; may include a path prefix.</param>
    /// <param name="bearerToken">A token sent as <c>Authorization: Bearer …</c> with every request; null to send none.</param>
    public SteepClient(HttpClient httpClient, Uri baseAddress, string? bearerToken = null)
        : this(httpClient, baseAddress, bearerToken, ownsHttpClient: false)
    {
    }

    private SteepClient(HttpClient httpClient, Uri baseAddress, string? bearerToken, bool ownsHttpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(baseAddress);
        if (!baseAddress.IsAbsoluteUri || (baseAddress.Scheme != Uri.UriSchemeHttp && baseAddress.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"The base address must be an absolute http or https URI, not '{baseAddress}'", nameof(baseAddress));
        if (bearerToken is not null && (string.IsNullOrWhiteSpace(bearerToken) || bearerToken.Any(char.IsControl)))
            throw new ArgumentException("The bearer token must not be empty or contain control characters", nameof(bearerToken));
        _http = httpClient;
        _ownsHttpClient = ownsHttpClient;
        // a trailing slash makes relative paths resolve below a path prefix instead of replacing its last segment
        var text = baseAddress.GetLeftPart(UriPartial.Path);
        BaseAddress = new Uri(text.EndsWith('/') ? text : text + "/");
        _authorization = bearerToken is null ? null : new AuthenticationHeaderValue("Bearer", bearerToken.Trim());
    }

    /// <summary>The server's address that request paths are resolved against (always ends with '/').</summary>
    public Uri BaseAddress { get; }

    /// <summary>Releases the <see cref="HttpClient"/> if this client created it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_ownsHttpClient) _http.Dispose();
    }

    private Uri Url(string relative) => new(BaseAddress, relative);

    private HttpRequestMessage Request(HttpMethod method, string relative, string accept = "application/json")
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        var request = new HttpRequestMessage(method, Url(relative));
        request.Headers.Accept.ParseAdd(accept);
        if (_authorization is not null) request.Headers.Authorization = _authorization;
        return request;
    }

    private Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead) =>
        _http.SendAsync(request, completion, cancellationToken);

    /// <summary>The exception for an error response, with the server's message (its plain-text body).</summary>
    private static async Task<SteepApiException> ErrorAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string message;
        try
        {
            message = (await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false)).Trim();
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            message = "";
        }
        const int limit = 4000;
        if (message.Length > limit) message = message[..limit] + "…";
        if (message.Length == 0) message = response.ReasonPhrase ?? "";
        var request = response.RequestMessage;
        return new SteepApiException(response.StatusCode, message, request?.Method.Method ?? "?", request?.RequestUri);
    }

    private static async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                return await JsonSerializer.DeserializeAsync<T>(stream, ClientJson.Options, cancellationToken).ConfigureAwait(false)
                    ?? throw new JsonException("the response body is null");
            }
        }
        catch (JsonException e)
        {
            var request = response.RequestMessage;
            throw new SteepApiException(response.StatusCode, $"The response is not the expected {typeof(T).Name} JSON: {e.Message}",
                request?.Method.Method ?? "?", request?.RequestUri, e);
        }
    }

    /// <summary>Sends a request and reads a JSON body; a status other than 2xx is an error.</summary>
    private async Task<T> SendForJsonAsync<T>(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
            return await ReadJsonAsync<T>(response, cancellationToken).ConfigureAwait(false);
        }
    }

    private Task<T> GetJsonAsync<T>(string relative, CancellationToken cancellationToken) =>
        SendForJsonAsync<T>(Request(HttpMethod.Get, relative), cancellationToken);

    /// <summary>GET a JSON resource; null when the server answers 404.</summary>
    private async Task<T?> GetJsonOrNullAsync<T>(string relative, CancellationToken cancellationToken) where T : class
    {
        using var request = Request(HttpMethod.Get, relative);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        return await ReadJsonAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>GET a paged list and read the <c>x-page-*</c> headers (falling back to what was asked for when one is missing).</summary>
    private async Task<Page<T>> GetPageAsync<T>(string relative, int offset, int? size, CancellationToken cancellationToken)
    {
        using var request = Request(HttpMethod.Get, relative);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode) throw await ErrorAsync(response, cancellationToken).ConfigureAwait(false);
        var items = await ReadJsonAsync<List<T>>(response, cancellationToken).ConfigureAwait(false);
        int pageOffset = Header(response, "x-page-offset") ?? offset;
        int pageSize = Header(response, "x-page-size") ?? size ?? items.Count;
        int total = Header(response, "x-page-total") ?? pageOffset + items.Count;
        return new Page<T>(items, pageOffset, pageSize, total);
    }

    private static int? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values)
        && int.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value : null;

    private static void CheckPaging(int offset, int? size)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        if (size is { } s) ArgumentOutOfRangeException.ThrowIfNegative(s, nameof(size));
    }

    private static HttpContent JsonBody<T>(T value) =>
        new ByteArrayContent(JsonSerializer.SerializeToUtf8Bytes(value, ClientJson.Options))
        {
            Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } },
        };

    private static HttpContent CancelBody() => new StringContent("{\"status\":\"CANCELLED\"}", Encoding.UTF8, "application/json");

    private static HttpContent PriorityBody(int priority) =>
        new StringContent(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{{\"priority\":{priority}}}"), Encoding.UTF8, "application/json");
}
