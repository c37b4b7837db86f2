using System.Text.Json.Serialization;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.Views;

/// <summary>The data of an <c>event: submission</c> on <c>GET /events</c>: status and chain counts (submission field names).</summary>
internal sealed record SubmissionEventView(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("runningProcessChains")] int Running,
    [property: JsonPropertyName("cancelledProcessChains")] int Cancelled,
    [property: JsonPropertyName("succeededProcessChains")] int Succeeded,
    [property: JsonPropertyName("failedProcessChains")] int Failed,
    [property: JsonPropertyName("totalProcessChains")] int Total)
{
    public static SubmissionEventView From(SubmissionEvent e) =>
        new(e.SubmissionId, e.Status, e.Running, e.Cancelled, e.Succeeded, e.Failed, e.Total);
}
