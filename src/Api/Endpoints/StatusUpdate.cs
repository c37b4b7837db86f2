using System.Text.Json.Serialization;

namespace Steep.Api.Endpoints;

/// <summary>The body of a PUT that cancels or changes a priority (documentation only; the body is read by hand).</summary>
/// <param name="Status">The new status; only "CANCELLED" is supported.</param>
/// <param name="Priority">The new priority (higher runs first).</param>
internal sealed record StatusUpdate(
    [property: JsonPropertyName("status")] string? Status,
    [property: JsonPropertyName("priority")] int? Priority);
