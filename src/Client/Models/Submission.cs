using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>
/// A submitted workflow and the state of its execution (Steep's submission object). Lists leave out
/// <see cref="Workflow"/>, <see cref="Results"/> and <see cref="ErrorMessage"/>; get one submission by its id for them.
/// </summary>
public sealed record Submission
{
    /// <summary>The unique submission identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The submitted workflow; null in lists.</summary>
    [JsonPropertyName("workflow")]
    public Workflow? Workflow { get; init; }

    /// <summary>The submission's name (the workflow's name unless changed), when it has one.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>The priority of the submission's process chains (higher runs first); 0 when the server leaves it out.</summary>
    [JsonPropertyName("priority")]
    public int Priority { get; init; }

    /// <summary>The workflow text exactly as it was submitted (only when getting one submission).</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>When the execution started; null if it has not started yet.</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the execution finished; null if it has not finished yet.</summary>
    [JsonPropertyName("endTime")]
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The current status, one of <see cref="SubmissionStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>Capabilities a host must provide to execute this workflow.</summary>
    [JsonPropertyName("requiredCapabilities")]
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>The number of process chains being executed.</summary>
    [JsonPropertyName("runningProcessChains")]
    public int RunningProcessChains { get; init; }

    /// <summary>The number of paused process chains (Steep 6's PAUSED).</summary>
    [JsonPropertyName("pausedProcessChains")]
    public int PausedProcessChains { get; init; }

    /// <summary>The number of process chains that have been cancelled.</summary>
    [JsonPropertyName("cancelledProcessChains")]
    public int CancelledProcessChains { get; init; }

    /// <summary>The number of process chains that finished successfully.</summary>
    [JsonPropertyName("succeededProcessChains")]
    public int SucceededProcessChains { get; init; }

    /// <summary>The number of process chains whose execution failed.</summary>
    [JsonPropertyName("failedProcessChains")]
    public int FailedProcessChains { get; init; }

    /// <summary>The number of process chains generated so far; may grow during the execution.</summary>
    [JsonPropertyName("totalProcessChains")]
    public int TotalProcessChains { get; init; }

    /// <summary>
    /// The workflow's result files grouped by output variable id, when the status is <see cref="SubmissionStatus.Success"/>
    /// or <see cref="SubmissionStatus.PartialSuccess"/>; otherwise null.
    /// </summary>
    [JsonPropertyName("results")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; init; }

    /// <summary>A human-readable error message when the status is <see cref="SubmissionStatus.Error"/>; otherwise null.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }

    /// <summary>Whether the submission will not change any more (see <see cref="SubmissionStatus.IsFinal"/>).</summary>
    [JsonIgnore]
    public bool IsFinal => SubmissionStatus.IsFinal(Status);
}
