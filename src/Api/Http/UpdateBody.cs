using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Steep.Api.Http;

/// <summary>
/// The body of <c>PUT /workflows/{id}</c> and <c>PUT /processchains/{id}</c>, as Steep 6.9 reads it:
/// <c>{"status": "CANCELLED"}</c>, <c>{"priority": 10}</c> or both.
/// </summary>
internal sealed record UpdateBody(bool Cancel, int? Priority)
{
    private const long Limit = 64 * 1024;
    private const string Expected = "The request body must be a JSON object like {\"status\": \"CANCELLED\"} or {\"priority\": 10}";

    /// <summary>Reads the update; returns an error response naming the field when the body is not a supported update.</summary>
    public static async Task<(UpdateBody? Update, IResult? Error)> ReadAsync(HttpRequest request, CancellationToken ct)
    {
        var (text, error) = await BodyReader.ReadTextAsync(request, Limit, ct);
        if (error is not null) return (null, error);
        if (string.IsNullOrWhiteSpace(text)) return Bad($"The request body is empty. {Expected}");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } l ? $" (line {l + 1}, column {(e.BytePositionInLine ?? 0) + 1})" : "";
            return Bad($"The request body is not valid JSON{where}. {Expected}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return Bad(Expected);
            bool hasStatus = root.TryGetProperty("status", out var status);
            bool hasPriority = root.TryGetProperty("priority", out var priority) && priority.ValueKind != JsonValueKind.Null;
            if (!hasStatus && !hasPriority)
                return Bad($"The request body has no 'status' and no 'priority': give at least one. {Expected}");
            int? newPriority = null;
            if (hasPriority)
            {
                if (priority.ValueKind != JsonValueKind.Number || !priority.TryGetInt32(out var p))
                    return Bad($"'priority' must be an integer (such as 10; higher runs first), not {Describe(priority)}");
                newPriority = p;
            }
            if (!hasStatus) return (new UpdateBody(false, newPriority), null);
            if (status.ValueKind != JsonValueKind.String)
                return Bad($"'status' must be a string, not {Describe(status)}. {Expected}");
            var value = status.GetString() ?? "";
            if (!string.Equals(value, "CANCELLED", StringComparison.OrdinalIgnoreCase))
                return Bad($"The status cannot be set to '{PageQuery.Shorten(value)}': only CANCELLED is supported");
            return (new UpdateBody(true, newPriority), null);
        }
    }

    private static (UpdateBody?, IResult?) Bad(string message) => (null, ApiResults.BadRequest(message));

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => $"the number {PageQuery.Shorten(e.GetRawText())}",
        JsonValueKind.String => $"the string \"{PageQuery.Shorten(e.GetString() ?? "")}\"",
        var kind => kind.ToString().ToLowerInvariant(),
    };
}
