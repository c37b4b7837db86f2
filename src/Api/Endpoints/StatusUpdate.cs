using System.Text.Json.Serialization;

namespace Steep.Api.Endpoints;

/// <summary>The body of a PUT that changes a status (documentation only; the body is read by hand).</summary>
/// <param name="Status">The new status; only "CANCELLED" is supported.</param>
internal sealed record StatusUpdate([property: JsonPropertyName("status")] string Status);
