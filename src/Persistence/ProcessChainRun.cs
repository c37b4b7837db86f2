namespace Steep.Persistence;

/// <summary>One execution attempt of a process chain (Steep 6.5's run): who ran it, when, and how it ended.</summary>
/// <param name="RunNumber">The attempt's number, from 1.</param>
/// <param name="AgentId">The agent that ran it.</param>
/// <param name="StartTime">When it started.</param>
/// <param name="EndTime">When it ended; null while it runs, and for a run that was interrupted (its process died).</param>
/// <param name="Status">RUNNING while it runs, then SUCCESS, ERROR or CANCELLED.</param>
/// <param name="ErrorMessage">Why it failed, or that it was interrupted.</param>
public sealed record ProcessChainRun(int RunNumber, string? AgentId, DateTimeOffset? StartTime, DateTimeOffset? EndTime,
    string Status, string? ErrorMessage);
