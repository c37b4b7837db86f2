namespace Steep.Persistence;

/// <summary>Process chains and their run-time state. Every method has finished writing durably when its task completes.</summary>
public interface IProcessChainStore
{
    /// <summary>One chain with executables, status, times, results and error message; null if unknown.</summary>
    Task<StoredProcessChain?> GetAsync(string id, CancellationToken ct);

    /// <summary>Chains in registration order, optionally filtered, paged (newest first when <paramref name="newestFirst"/>).</summary>
    Task<Page<StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct);

    /// <summary>All chains of a submission with the given status (any when null), in registration order.</summary>
    Task<IReadOnlyList<StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct);

    /// <summary>
    /// What a graph or timeline of the submission needs of each chain, in registration order: status, agent, times,
    /// services and the files it reads and writes. The default reads the chains in full; stores that keep JSON read
    /// only what the rows need.
    /// </summary>
    async Task<IReadOnlyList<ChainGraphRow>> ListGraphAsync(string submissionId, CancellationToken ct) =>
        (await ListBySubmissionAsync(submissionId, null, ct).ConfigureAwait(false)).OrderBy(c => c.Sequence).Select(ChainGraphRow.From).ToList();

    /// <summary>All chains with the given status, in registration order (used to rebuild the scheduler's queue).</summary>
    Task<IReadOnlyList<StoredProcessChain>> ListByStatusAsync(string status, CancellationToken ct);

    /// <summary>
    /// Applies an update; returns false if the chain is unknown. In the same transaction the chain's runs follow: an
    /// update with a run number records that run (agent, start, RUNNING) unless it exists; a final status ends the open
    /// run with that status and error message; going back to REGISTERED or PAUSED ends it as interrupted (ERROR).
    /// </summary>
    Task<bool> UpdateAsync(ProcessChainUpdate update, CancellationToken ct);

    /// <summary>Sets one chain's priority (whatever its status: the caller decides what may change); false if it is unknown.</summary>
    Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct);

    /// <summary>Applies several updates in one transaction (runs follow as with <see cref="UpdateAsync"/>).</summary>
    Task UpdateManyAsync(IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct);

    /// <summary>Number of chains per status, for one submission or (when null) all.</summary>
    Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct);

    /// <summary>The chain's runs (execution attempts), oldest first; empty when the chain is unknown or never ran.</summary>
    Task<IReadOnlyList<ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct);

    /// <summary>One run of a chain by its number (from 1); null if there is no such run.</summary>
    Task<ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct);
}
