using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>One execution attempt of a process chain (Steep 6.5's run): the first run, a retry, a run after a crash.</summary>
public sealed record ProcessChainRun
{
    /// <summary>The run's number, from 1 to the chain's <see cref="ProcessChain.TotalRuns"/>.</summary>
    [JsonPropertyName("runNumber")]
    public int RunNumber { get; init; }

    /// <summary>The agent that ran it.</summary>
    [JsonPropertyName("agentId")]
    public string? AgentId { get; init; }

    /// <summary>When it started.</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When it ended; null while it runs and for a run that was interrupted.</summary>
    [JsonPropertyName("endTime")]
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>RUNNING while it runs, then SUCCESS, ERROR or CANCELLED (see <see cref="ProcessChainStatus"/>).</summary>
    [JsonPropertyName("status")]
    public string Status { get; init; } = "";

    /// <summary>Why it failed, or that it was interrupted.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }
}
