using Microsoft.Data.Sqlite;

namespace Steep.Persistence.Sqlite;

/// <summary>Group commit: the writes that queue up while one transaction commits share the next transaction.</summary>
public sealed partial class SqliteStore
{
    private const int MaxBatch = 256;
    private readonly Lock _queueGate = new();
    private readonly Queue<PendingWrite> _queue = new();
    private bool _draining;

    /// <summary>
    /// Runs <paramref name="write"/> in an IMMEDIATE transaction on the writer connection; the task completes after
    /// the commit. Writes that arrive while another commits are batched: each runs inside a savepoint of one shared
    /// transaction, so a failing write is undone alone and the others commit together (one WAL append, one lock
    /// round, instead of one per write). The caller that finds the writer idle hands the batch to the thread pool
    /// rather than doing it on its own thread: the writes its caller's siblings are about to make (an agent that
    /// finishes a chain stores that chain's end and the next chain's start at the same moment, from two grains) are
    /// queued meanwhile and share the transaction, which halves the commits (and the WAL frames) per chain.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<WriterStatements, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0) return Task.FromException<T>(new ObjectDisposedException(nameof(SqliteStore)));
        if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
        var pending = new PendingWrite<T>(write, ct);
        bool lead;
        lock (_queueGate)
        {
            _queue.Enqueue(pending);
            lead = !_draining;
            _draining = true;
        }
        if (lead) ThreadPool.UnsafeQueueUserWorkItem(static store => _ = store.DrainAsync(), this, preferLocal: false);
        return pending.Task;
    }

    private async Task DrainAsync()
    {
        var batch = new List<PendingWrite>();
        await _writeLock.WaitAsync().ConfigureAwait(false); // Dispose waits for the batch in progress
        try
        {
            while (true)
            {
                batch.Clear();
                lock (_queueGate)
                {
                    while (_queue.Count > 0 && batch.Count < MaxBatch) batch.Add(_queue.Dequeue());
                    if (batch.Count == 0)
                    {
                        _draining = false;
                        return;
                    }
                }
                await RunBatchAsync(batch).ConfigureAwait(false);
            }
        }
        catch (Exception e)
        {
            // not expected (RunBatchAsync fails writes, not itself); never leave callers waiting
            lock (_queueGate)
            {
                while (_queue.Count > 0) batch.Add(_queue.Dequeue());
                _draining = false;
            }
            foreach (var w in batch) w.Fail(e);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>
    /// Commits the writes still queued when the store closes (their drain was handed to the thread pool and has not
    /// run yet): a write made before the store was disposed is stored, as when the caller did it on its own thread.
    /// Called under the write lock.
    /// </summary>
    private async Task FlushQueueAsync()
    {
        var batch = new List<PendingWrite>();
        while (true)
        {
            lock (_queueGate)
            {
                batch.Clear();
                while (_queue.Count > 0 && batch.Count < MaxBatch) batch.Add(_queue.Dequeue());
                if (batch.Count == 0) return;
            }
            await RunBatchAsync(batch, closing: true).ConfigureAwait(false);
        }
    }

    private async Task RunBatchAsync(List<PendingWrite> batch, bool closing = false)
    {
        if (!closing && Volatile.Read(ref _disposed) != 0)
        {
            foreach (var w in batch) w.Fail(new ObjectDisposedException(nameof(SqliteStore)));
            return;
        }
        var done = new List<PendingWrite>(batch.Count);
        try
        {
            // IMMEDIATE takes the write lock at BEGIN, so another instance's writer makes this one wait (busy
            // timeout) rather than fail when a read lock would have to be upgraded. BEGIN/COMMIT are prepared
            // statements of their own: the provider's transaction object would prepare both anew on every write.
            await _statements.Begin.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            foreach (var w in batch) w.Fail(Translate(e));
            return;
        }

        bool single = batch.Count == 1;
        foreach (var w in batch)
        {
            if (w.Token.IsCancellationRequested)
            {
                w.Fail(new OperationCanceledException(w.Token));
                continue;
            }
            try
            {
                if (!single) await _statements.Savepoint.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
                await w.RunAsync(_statements).ConfigureAwait(false);
                if (!single) await _statements.ReleaseSavepoint.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
                done.Add(w);
            }
            catch (Exception e)
            {
                if (!InTransaction)
                {
                    // some errors (disk full, I/O) end the whole transaction: the batch's earlier writes are gone too
                    foreach (var d in done) d.Fail(Translate(e));
                    w.Fail(Translate(e));
                    foreach (var rest in batch.SkipWhile(x => x != w).Skip(1)) rest.Fail(Translate(e));
                    return;
                }
                if (single) await _statements.Rollback.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
                else
                {
                    await _statements.RollbackToSavepoint.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
                    await _statements.ReleaseSavepoint.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
                }
                w.Fail(Translate(e));
            }
        }

        if (!InTransaction) return; // a single failed write was rolled back
        try
        {
            // Not cancellable: once the changes are made, committing them is cheaper than undoing them.
            await _statements.Commit.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (InTransaction) await _statements.Rollback.ExecuteAsync(CancellationToken.None).ConfigureAwait(false);
            foreach (var d in done) d.Fail(Translate(e));
            return;
        }
        foreach (var d in done) d.Committed();
    }

    private bool InTransaction => SQLitePCL.raw.sqlite3_get_autocommit(_writer.Handle) == 0;

    private static Exception Translate(Exception e) => e is SqliteException { SqliteErrorCode: SqliteConstraint }
        ? new InvalidOperationException($"The change conflicts with stored data: {e.Message}", e)
        : e;
}
