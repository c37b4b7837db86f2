namespace Steep.Contracts;

/// <summary>A submission's state as an Orleans client sees it (the HTTP API's submission without the workflow).</summary>
/// <param name="Id">The submission id.</param>
/// <param name="Status">ACCEPTED, RUNNING, SUCCESS, PARTIAL_SUCCESS, ERROR or CANCELLED.</param>
/// <param name="StartTime">When the execution started.</param>
/// <param name="EndTime">When it finished.</param>
/// <param name="RequiredCapabilities">Capabilities needed by the workflow's services.</param>
/// <param name="TotalProcessChains">Chains generated so far.</param>
/// <param name="RunningProcessChains">Chains registered or running.</param>
/// <param name="SucceededProcessChains">Chains finished successfully.</param>
/// <param name="FailedProcessChains">Chains failed.</param>
/// <param name="CancelledProcessChains">Chains cancelled.</param>
/// <param name="Results">Workflow result files by output variable id (when finished with success).</param>
/// <param name="ErrorMessage">Why it failed, when it did.</param>
[GenerateSerializer, Immutable, Alias("steep.SubmissionSnapshot")]
public sealed record SubmissionSnapshot(
    [property: Id(0)] string Id,
    [property: Id(1)] string Status,
    [property: Id(2)] DateTimeOffset? StartTime,
    [property: Id(3)] DateTimeOffset? EndTime,
    [property: Id(4)] IReadOnlyList<string> RequiredCapabilities,
    [property: Id(5)] int TotalProcessChains,
    [property: Id(6)] int RunningProcessChains,
    [property: Id(7)] int SucceededProcessChains,
    [property: Id(8)] int FailedProcessChains,
    [property: Id(9)] int CancelledProcessChains,
    [property: Id(10)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Results,
    [property: Id(11)] string? ErrorMessage)
{
    /// <summary>True once the submission has ended (SUCCESS, PARTIAL_SUCCESS, ERROR or CANCELLED) and nothing runs.</summary>
    public bool IsFinished => EndTime is not null;
}
