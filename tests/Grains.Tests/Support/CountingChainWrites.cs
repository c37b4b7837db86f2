using System.Collections.Concurrent;
using Steep.Persistence;

namespace Steep.Grains.Tests.Support;

/// <summary>A chain store that counts the writes (updates) each chain receives, and passes everything on.</summary>
public sealed class CountingChainWrites(IProcessChainStore inner) : IProcessChainStore
{
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

    /// <summary>How many updates the chain has received (alone or in a batch).</summary>
    public int WritesOf(string chainId) => _writes.TryGetValue(chainId, out int n) ? n : 0;

    /// <inheritdoc />
    public Task<bool> UpdateAsync(ProcessChainUpdate update, CancellationToken ct)
    {
        _writes.AddOrUpdate(update.Id, 1, (_, n) => n + 1);
        return inner.UpdateAsync(update, ct);
    }

    /// <inheritdoc />
    public Task UpdateManyAsync(IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct)
    {
        foreach (var u in updates) _writes.AddOrUpdate(u.Id, 1, (_, n) => n + 1);
        return inner.UpdateManyAsync(updates, ct);
    }

    /// <inheritdoc />
    public Task<StoredProcessChain?> GetAsync(string id, CancellationToken ct) => inner.GetAsync(id, ct);

    /// <inheritdoc />
    public Task<Page<StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct) =>
        inner.ListAsync(submissionId, status, offset, size, newestFirst, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct) =>
        inner.ListBySubmissionAsync(submissionId, status, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListByStatusAsync(string status, CancellationToken ct) => inner.ListByStatusAsync(status, ct);

    /// <inheritdoc />
    public Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) =>
        inner.SetProcessChainPriorityAsync(processChainId, priority, ct);

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct) =>
        inner.CountByStatusAsync(submissionId, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct) => inner.ListRunsAsync(processChainId, ct);

    /// <inheritdoc />
    public Task<ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct) =>
        inner.GetRunAsync(processChainId, runNumber, ct);
}
