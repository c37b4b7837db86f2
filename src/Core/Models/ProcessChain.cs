using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>A linear list of executables sent to one agent; with its run-time status when it is stored.</summary>
public sealed record ProcessChain
{
    /// <summary>Unique process chain identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The executables, run in order.</summary>
    [JsonPropertyName("executables")]
    public IReadOnlyList<Executable> Executables { get; init; } = [];

    /// <summary>The submission the chain belongs to.</summary>
    [JsonPropertyName("submissionId")]
    public string? SubmissionId { get; init; }

    /// <summary>When the execution started.</summary>
    [JsonPropertyName("startTime")]
    public DateTimeOffset? StartTime { get; init; }

    /// <summary>When the execution ended.</summary>
    [JsonPropertyName("endTime")]
    public DateTimeOffset? EndTime { get; init; }

    /// <summary>The chain's status (<see cref="ProcessChainStatus"/>).</summary>
    [JsonPropertyName("status")]
    public string? Status { get; init; }

    /// <summary>Capabilities an agent needs to run the chain.</summary>
    [JsonPropertyName("requiredCapabilities")]
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>The chain's priority (higher first).</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>Result files by output variable id, when the chain succeeded.</summary>
    [JsonPropertyName("results")]
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; init; }

    /// <summary>A human-readable error message, when the chain failed.</summary>
    [JsonPropertyName("errorMessage")]
    public string? ErrorMessage { get; init; }
}
