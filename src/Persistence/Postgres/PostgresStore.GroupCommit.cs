using Npgsql;
using static Steep.Persistence.Postgres.PostgresValues;

namespace Steep.Persistence.Postgres;

// Group commit of process chain updates: the updates that arrive while one transaction commits share the next one.
public sealed partial class PostgresStore
{
    /// <summary>The most chain updates one transaction carries.</summary>
    private const int MaxGroup = 256;

    // Locks the count rows of every submission the group touches, in one global order, before any chain changes: the
    // status trigger locks a chain's two rows in status order, so two groups (of two silos) changing chains of the
    // same submissions in different transitions would otherwise each hold a row the other waits for (a deadlock, found
    // only after deadlock_timeout). Within a single update the trigger's own order suffices.
    private const string LockCountsSql = """
        SELECT 1 FROM process_chain_counts
        WHERE submission_id IN (SELECT submission_id FROM process_chains WHERE id = ANY($1))
        ORDER BY submission_id, status FOR UPDATE
        """;

    private readonly Lock _groupGate = new();
    private List<PendingUpdate> _pendingUpdates = [];
    private bool _committingGroups;

    /// <summary>
    /// Queues a chain update for the next group transaction; completes after that transaction committed. The caller
    /// that finds no group on its way starts the committer; a commit's wait for its WAL flush is what the next group
    /// gathers in, so a lone update pays no delay and a burst pays one commit (and one lock round on its submission's
    /// count rows, which every status change of a submission takes) instead of one each.
    /// </summary>
    private Task<bool> EnqueueUpdate(ProcessChainUpdate update, CancellationToken ct)
    {
        if (Volatile.Read(ref _disposed) != 0) return Task.FromException<bool>(new ObjectDisposedException(nameof(PostgresStore)));
        if (ct.IsCancellationRequested) return Task.FromCanceled<bool>(ct);
        var pending = new PendingUpdate(update, ct);
        bool lead;
        lock (_groupGate)
        {
            _pendingUpdates.Add(pending);
            lead = !_committingGroups;
            _committingGroups = true;
        }
        // off the caller's thread: a grain's turn must not run other callers' commits
        if (lead) _ = Task.Run(CommitGroupsAsync);
        return pending.Task;
    }

    private async Task CommitGroupsAsync()
    {
        while (true)
        {
            List<PendingUpdate> group;
            lock (_groupGate)
            {
                if (_pendingUpdates.Count == 0)
                {
                    _committingGroups = false;
                    return;
                }
                if (_pendingUpdates.Count <= MaxGroup)
                {
                    group = _pendingUpdates;
                    _pendingUpdates = [];
                }
                else
                {
                    group = _pendingUpdates.GetRange(0, MaxGroup);
                    _pendingUpdates.RemoveRange(0, MaxGroup);
                }
            }
            var live = group.FindAll(p => !p.CancelIfRequested());
            if (live.Count == 0) continue;
            try
            {
                await CommitGroupAsync(live).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // not expected (CommitGroupAsync fails updates, not itself); never leave callers waiting
                foreach (var p in live) p.Fail(e);
            }
        }
    }

    private async Task CommitGroupAsync(List<PendingUpdate> group)
    {
        if (group.Count == 1)
        {
            await CommitAloneAsync(group[0]).ConfigureAwait(false);
            return;
        }
        bool[] found;
        try
        {
            found = await WriteAsync(async (connection, token) =>
            {
                // one implicit transaction, one round trip: all of the group's changes commit together or not at all
                await using var batch = new NpgsqlBatch(connection);
                batch.BatchCommands.Add(BatchCommand(LockCountsSql, TextArray(group.ConvertAll(p => p.Update.Id))));
                var chainCommands = new int[group.Count];
                for (int i = 0; i < group.Count; i++)
                {
                    chainCommands[i] = batch.BatchCommands.Count;
                    AddUpdate(batch, group[i].Update);
                }
                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                return Array.ConvertAll(chainCommands, c => batch.BatchCommands[c].RecordsAffected > 0);
            }, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is PostgresException or InvalidOperationException { InnerException: PostgresException })
        {
            // one update the server refused undid the whole group: each goes again on its own, so that only that one fails
            foreach (var p in group) await CommitAloneAsync(p).ConfigureAwait(false);
            return;
        }
        catch (Exception e)
        {
            foreach (var p in group) p.Fail(e);
            return;
        }
        for (int i = 0; i < group.Count; i++) group[i].Committed(found[i]);
    }

    private async Task CommitAloneAsync(PendingUpdate pending)
    {
        try
        {
            pending.Committed(await WriteAsync(async (connection, token) =>
            {
                // one implicit transaction: the chain and its run change together
                await using var batch = new NpgsqlBatch(connection);
                AddUpdate(batch, pending.Update);
                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                return batch.BatchCommands[0].RecordsAffected > 0;
            }, pending.Token).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            pending.Fail(e);
        }
    }
}
