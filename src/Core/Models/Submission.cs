using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>A submitted workflow and the state of its execution.</summary>
public sealed record Submission
{
    /// <summary>Unique submission identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    private readonly string? _name;
    private readonly int? _priority;

    /// <summary>The submission's name: the workflow's name unless set (Steep 6).</summary>
    [JsonPropertyName("name")]
    public string? Name { get => _name ?? Workflow?.Name; init => _name = value; }

    /// <summary>The submitted workflow.</summary>
    [JsonPropertyName("workflow")]
    public Workflow? Workflow { get; init; }

    /// <summary>
    /// The priority of the submission's process chains (higher first): the workflow's priority (default 0) unless set.
    /// Left out of the JSON when 0, as Steep writes it.
    /// </summary>
    [JsonPropertyName("priority"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public int Priority { get => _priority ?? Workflow?.Priority ?? 0; init => _priority = value; }

    /// <summary>When the execution started.</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the execution finished.</summary>
    [JsonPropertyName("endTime")]
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The status (<see cref="SubmissionStatus"/>).</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = SubmissionStatus.Accepted;

    /// <summary>Capabilities needed by the workflow's services.</summary>
    [JsonPropertyName("requiredCapabilities")]
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>The workflow text exactly as it was submitted through the HTTP API (null when it was not).</summary>
    [JsonPropertyName("source")]
    public string? Source { get; init; }

    /// <summary>Process chains being executed.</summary>
    [JsonPropertyName("runningProcessChains")]
    public int RunningProcessChains { get; init; }

    /// <summary>Process chains paused (Steep 6's PAUSED status).</summary>
    [JsonPropertyName("pausedProcessChains")]
    public int PausedProcessChains { get; init; }

    /// <summary>Process chains cancelled.</summary>
    [JsonPropertyName("cancelledProcessChains")]
    public int CancelledProcessChains { get; init; }

    /// <summary>Process chains finished successfully.</summary>
    [JsonPropertyName("succeededProcessChains")]
    public int SucceededProcessChains { get; init; }

    /// <summary>Process chains failed.</summary>
    [JsonPropertyName("failedProcessChains")]
    public int FailedProcessChains { get; init; }

    /// <summary>All process chains generated so far.</summary>
    [JsonPropertyName("totalProcessChains")]
    public int TotalProcessChains { get; init; }

    /// <summary>Workflow result files by output variable id.</summary>
    [JsonPropertyName("results")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; init; }

    /// <summary>
    /// The metadata (with resolved paths) of the services the workflow calls, as they were when it was accepted: a
    /// resumed or moved submission runs with these, whatever the silo that finishes it was started with. Not part of
    /// the HTTP API.
    /// </summary>
    [JsonIgnore]
    public IReadOnlyList<Service>? ServiceMetadata { get; init; }

    /// <summary>A human-readable error message, when the submission failed.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }
}
