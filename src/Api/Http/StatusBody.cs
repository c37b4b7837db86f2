using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Steep.Api.Http;

/// <summary>The body of <c>PUT /workflows/{id}</c> and <c>PUT /processchains/{id}</c>: <c>{"status": "CANCELLED"}</c>.</summary>
internal static class StatusBody
{
    private const long Limit = 64 * 1024;

    /// <summary>Reads the new status; returns an error response when the body is not a supported update.</summary>
    public static async Task<IResult?> ReadCancelAsync(HttpRequest request, CancellationToken ct)
    {
        var (text, error) = await BodyReader.ReadTextAsync(request, Limit, ct);
        if (error is not null) return error;
        const string expected = "The request body must be a JSON object like {\"status\": \"CANCELLED\"}";
        if (string.IsNullOrWhiteSpace(text)) return ApiResults.BadRequest($"The request body is empty. {expected}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } l ? $" (line {l + 1}, column {(e.BytePositionInLine ?? 0) + 1})" : "";
            return ApiResults.BadRequest($"The request body is not valid JSON{where}. {expected}");
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return ApiResults.BadRequest(expected);
            if (!doc.RootElement.TryGetProperty("status", out var status))
                return ApiResults.BadRequest($"The request body has no 'status'. {expected}; only the status can be updated");
            if (status.ValueKind != JsonValueKind.String)
                return ApiResults.BadRequest($"'status' must be a string, not {status.ValueKind.ToString().ToLowerInvariant()}. {expected}");
            var value = status.GetString() ?? "";
            if (!string.Equals(value, "CANCELLED", StringComparison.OrdinalIgnoreCase))
                return ApiResults.BadRequest($"The status cannot be set to '{PageQuery.Shorten(value)}': only CANCELLED is supported");
            return null;
        }
    }
}
