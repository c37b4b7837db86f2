namespace Steep.Contracts;

/// <summary>A process chain's run-time state as an Orleans client sees it.</summary>
/// <param name="Id">The chain id.</param>
/// <param name="SubmissionId">Its submission.</param>
/// <param name="Status">REGISTERED, RUNNING, SUCCESS, ERROR or CANCELLED.</param>
/// <param name="RequiredCapabilities">What an agent must provide to run it.</param>
/// <param name="StartTime">When its current or last run started.</param>
/// <param name="EndTime">When it ended.</param>
/// <param name="AgentId">The agent running (or that ran) it.</param>
/// <param name="RunNumber">How often it has been started.</param>
/// <param name="Results">Output files by output variable id (on SUCCESS).</param>
/// <param name="ErrorMessage">What went wrong (on ERROR).</param>
[GenerateSerializer, Immutable, Alias("steep.ProcessChainSummary")]
public sealed record ProcessChainSummary(
    [property: Id(0)] string Id,
    [property: Id(1)] string SubmissionId,
    [property: Id(2)] string Status,
    [property: Id(3)] IReadOnlyList<string> RequiredCapabilities,
    [property: Id(4)] DateTimeOffset? StartTime,
    [property: Id(5)] DateTimeOffset? EndTime,
    [property: Id(6)] string? AgentId,
    [property: Id(7)] int RunNumber,
    [property: Id(8)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Results,
    [property: Id(9)] string? ErrorMessage);
