using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>
/// A sequential list of executables sent to one agent, with its run-time state (Steep's process chain object).
/// Lists leave out <see cref="Executables"/>, <see cref="Results"/> and <see cref="ErrorMessage"/>; get one process
/// chain by its id for them.
/// </summary>
public sealed record ProcessChain
{
    /// <summary>The unique process chain identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The executables, run in this order; empty in lists.</summary>
    [JsonPropertyName("executables")]
    public IReadOnlyList<Executable> Executables { get; init; } = [];

    /// <summary>The id of the submission the process chain belongs to.</summary>
    [JsonPropertyName("submissionId")]
    public string SubmissionId { get; init; } = "";

    /// <summary>When the execution started; null if it has not started yet.</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the execution finished; null if it has not finished yet.</summary>
    [JsonPropertyName("endTime")]
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The current status, one of <see cref="ProcessChainStatus"/>.</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>Capabilities a host must provide to execute this process chain.</summary>
    [JsonPropertyName("requiredCapabilities")]
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>The priority (higher runs first); null when the server leaves it out (0, the default).</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>Result files grouped by output variable id when the status is <see cref="ProcessChainStatus.Success"/>; otherwise null.</summary>
    [JsonPropertyName("results")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; init; }

    /// <summary>A human-readable error message when the status is <see cref="ProcessChainStatus.Error"/>; otherwise null.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }

    /// <summary>The id of the agent that runs or ran the process chain, when known.</summary>
    [JsonPropertyName("agentId")]
    public string? AgentId { get; init; }

    /// <summary>The number of the current or last run (from 1); null before the first run.</summary>
    [JsonPropertyName("runNumber")]
    public int? RunNumber { get; init; }

    /// <summary>How often the process chain has been started.</summary>
    [JsonPropertyName("totalRuns")]
    public int? TotalRuns { get; init; }

    /// <summary>Whether the process chain will not change any more (see <see cref="ProcessChainStatus.IsFinal"/>).</summary>
    [JsonIgnore]
    public bool IsFinal => ProcessChainStatus.IsFinal(Status);
}
