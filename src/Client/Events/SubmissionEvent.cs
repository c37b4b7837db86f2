using System.Text.Json.Serialization;
using Steep.Client.Models;

namespace Steep.Client.Events;

/// <summary>A submission's status or process chain counts changed (<c>event: submission</c>).</summary>
public sealed record SubmissionEvent : SteepEvent
{
    /// <summary>The event type name on the wire.</summary>
    public const string TypeName = "submission";

    /// <summary>The submission's id.</summary>
    [JsonPropertyName("id")]
    public string SubmissionId { get; init; } = "";

    /// <summary>The submission's status after the change, one of <see cref="Models.SubmissionStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>The number of process chains being executed.</summary>
    [JsonPropertyName("runningProcessChains")]
    public int RunningProcessChains { get; init; }

    /// <summary>The number of process chains cancelled.</summary>
    [JsonPropertyName("cancelledProcessChains")]
    public int CancelledProcessChains { get; init; }

    /// <summary>The number of process chains that finished successfully.</summary>
    [JsonPropertyName("succeededProcessChains")]
    public int SucceededProcessChains { get; init; }

    /// <summary>The number of process chains that failed.</summary>
    [JsonPropertyName("failedProcessChains")]
    public int FailedProcessChains { get; init; }

    /// <summary>The number of process chains generated so far.</summary>
    [JsonPropertyName("totalProcessChains")]
    public int TotalProcessChains { get; init; }

    /// <summary>Whether the submission has reached a final status.</summary>
    [JsonIgnore]
    public bool IsFinal => Models.SubmissionStatus.IsFinal(Status);
}
