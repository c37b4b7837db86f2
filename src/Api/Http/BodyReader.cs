using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Steep.Api.Http;

/// <summary>Reads a request body as UTF-8 text within a size limit, whatever its content type says.</summary>
internal static class BodyReader
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The body's text, or an error response (413 too large, 400 not UTF-8).</summary>
    public static async Task<(string? Text, IResult? Error)> ReadTextAsync(HttpRequest request, long limit, CancellationToken ct)
    {
        if (request.ContentLength > limit) return (null, TooLarge(limit));
        // let the server stop reading at the limit too (Kestrel's own default is larger)
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
            feature.MaxRequestBodySize = limit + 1;

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        while (true)
        {
            int n;
            try
            {
                n = await request.Body.ReadAsync(chunk, ct);
            }
            catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return (null, TooLarge(limit));
            }
            if (n == 0) break;
            if (buffer.Length + n > limit) return (null, TooLarge(limit));
            buffer.Write(chunk, 0, n);
        }
        try
        {
            var text = StrictUtf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
            return (text.TrimStart('\uFEFF'), null);
        }
        catch (DecoderFallbackException)
        {
            return (null, ApiResults.BadRequest("The request body is not valid UTF-8 text"));
        }
    }

    private static IResult TooLarge(long limit) => ApiResults.Text(StatusCodes.Status413PayloadTooLarge,
        $"The request body is too large: at most {Size(limit)} are accepted (the limit is steep.http.maxBodySize, STEEP_HTTP_MAXBODYSIZE)");

    private static string Size(long bytes) => bytes % (1024 * 1024) == 0 ? $"{bytes / (1024 * 1024)} MiB"
        : bytes % 1024 == 0 ? $"{bytes / 1024} KiB" : $"{bytes} bytes";
}
