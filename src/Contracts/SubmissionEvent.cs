using System.Text.Json.Serialization;

namespace Steep.Contracts;

/// <summary>A submission's status and process chain counts after a change.</summary>
/// <param name="SubmissionId">The submission.</param>
/// <param name="Status">Its status (ACCEPTED, RUNNING, SUCCESS, PARTIAL_SUCCESS, ERROR, CANCELLED).</param>
/// <param name="Total">Process chains generated so far.</param>
/// <param name="Running">Chains registered or running.</param>
/// <param name="Succeeded">Chains finished successfully.</param>
/// <param name="Failed">Chains failed.</param>
/// <param name="Cancelled">Chains cancelled.</param>
[GenerateSerializer, Immutable, Alias("steep.SubmissionEvent")]
public sealed record SubmissionEvent(
    [property: Id(0), JsonPropertyName("submissionId")] string SubmissionId,
    [property: Id(1), JsonPropertyName("status")] string Status,
    [property: Id(2), JsonPropertyName("totalProcessChains")] int Total,
    [property: Id(3), JsonPropertyName("runningProcessChains")] int Running,
    [property: Id(4), JsonPropertyName("succeededProcessChains")] int Succeeded,
    [property: Id(5), JsonPropertyName("failedProcessChains")] int Failed,
    [property: Id(6), JsonPropertyName("cancelledProcessChains")] int Cancelled);
