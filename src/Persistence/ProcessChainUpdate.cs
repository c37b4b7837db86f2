namespace Steep.Persistence;

/// <summary>Changes to a process chain; null fields are left as they are.</summary>
public sealed record ProcessChainUpdate(string Id)
{
    /// <summary>New status.</summary>
    public string? Status { get; init; }
    /// <summary>Start time.</summary>
    public DateTimeOffset? StartTime { get; init; }
    /// <summary>End time.</summary>
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>Result files by output variable id.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; init; }
    /// <summary>Error message.</summary>
    public string? ErrorMessage { get; init; }
    /// <summary>The agent running (or that ran) the chain.</summary>
    public string? AgentId { get; init; }
    /// <summary>How often the chain has been started (1 for the first run).</summary>
    public int? RunNumber { get; init; }
    /// <summary>When true, start time, end time, results, error message and agent are cleared first (a chain sent back to REGISTERED).</summary>
    public bool Reset { get; init; }
    /// <summary>
    /// When set, the update is made only while the chain is RUNNING in this run (it ends or requeues that run): once the
    /// chain has left it (sent back to REGISTERED or started again by someone else), the update changes nothing and
    /// reports the chain as not updated.
    /// </summary>
    public int? InRun { get; init; }
}
