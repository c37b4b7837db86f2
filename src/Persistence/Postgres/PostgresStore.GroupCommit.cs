using System.Text;
using Npgsql;
using NpgsqlTypes;
using static Steep.Persistence.Postgres.PostgresValues;

namespace Steep.Persistence.Postgres;

// Group commit of process chain updates: the updates that arrive while one transaction commits share the next one.
public sealed partial class PostgresStore
{
    /// <summary>The most chain updates one transaction carries.</summary>
    private const int MaxGroup = 256;

    // One statement per kind of change for a whole group (unnest of one array per column). The count rows move once
    // per statement (a statement-level trigger), locked in one global order, so groups of several silos do not deadlock.
    // With Reset, the cleared columns take the update's value or NULL; without, the update's value or the old one. An
    // update bound to a run (in_run) is made only while the chain is RUNNING in that run (ProcessChainUpdate.InRun).
    private const string UpdateChainsSql = """
        UPDATE process_chains p SET
            status = COALESCE(u.status, p.status),
            start_time = COALESCE(u.start_time, CASE WHEN u.reset THEN NULL ELSE p.start_time END),
            end_time = COALESCE(u.end_time, CASE WHEN u.reset THEN NULL ELSE p.end_time END),
            results = COALESCE(u.results::json, CASE WHEN u.reset THEN NULL ELSE p.results END),
            error_message = COALESCE(u.error_message, CASE WHEN u.reset THEN NULL ELSE p.error_message END),
            agent_id = COALESCE(u.agent_id, CASE WHEN u.reset THEN NULL ELSE p.agent_id END),
            run_number = COALESCE(u.run_number, p.run_number)
        FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[], $5::text[], $6::text[], $7::text[], $8::integer[], $9::boolean[],
                $10::integer[])
            AS u(id, status, start_time, end_time, results, error_message, agent_id, run_number, reset, in_run)
        WHERE p.id = u.id AND (u.in_run IS NULL OR (p.status = 'RUNNING' AND p.run_number = u.in_run))
        RETURNING p.id
        """;

    // A run is recorded once (the completion of a chain whose RUNNING write failed carries the start again), and only
    // for a chain that exists.
    private const string InsertRunsSql = """
        INSERT INTO process_chain_runs (chain_id, run_number, agent_id, start_time, status)
        SELECT u.id, u.run_number, u.agent_id, u.start_time, 'RUNNING'
        FROM unnest($1::text[], $2::integer[], $3::text[], $4::timestamptz[]) AS u(id, run_number, agent_id, start_time)
        WHERE EXISTS (SELECT 1 FROM process_chains WHERE id = u.id)
        ON CONFLICT (chain_id, run_number) DO NOTHING
        """;

    // At most one run of a chain is open (RUNNING): a new one starts only after the chain left RUNNING.
    private const string EndRunsSql = """
        UPDATE process_chain_runs r SET end_time = u.end_time, status = u.status, error_message = u.error_message
        FROM unnest($1::text[], $2::timestamptz[], $3::text[], $4::text[], $5::integer[]) AS u(id, end_time, status, error_message, in_run)
        WHERE r.chain_id = u.id AND r.status = 'RUNNING' AND (u.in_run IS NULL OR r.run_number = u.in_run)
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
                // a chain changes at most once per group (its updates keep their order across groups)
                var ids = new HashSet<string>(StringComparer.Ordinal);
                int take = 0;
                while (take < _pendingUpdates.Count && take < MaxGroup && ids.Add(_pendingUpdates[take].Update.Id)) take++;
                if (take == _pendingUpdates.Count)
                {
                    group = _pendingUpdates;
                    _pendingUpdates = [];
                }
                else
                {
                    group = _pendingUpdates.GetRange(0, take);
                    _pendingUpdates.RemoveRange(0, take);
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
        HashSet<string> found;
        try
        {
            found = await WriteAsync((connection, token) => UpdateChainsAsync(connection, group.ConvertAll(p => p.Update), token),
                CancellationToken.None).ConfigureAwait(false);
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
        foreach (var p in group) p.Committed(found.Contains(p.Update.Id));
    }

    private async Task CommitAloneAsync(PendingUpdate pending)
    {
        try
        {
            var found = await WriteAsync((connection, token) => UpdateChainsAsync(connection, [pending.Update], token), pending.Token)
                .ConfigureAwait(false);
            pending.Committed(found.Count > 0);
        }
        catch (Exception e)
        {
            pending.Fail(e);
        }
    }

    /// <summary>
    /// Makes the updates in one implicit transaction and one round trip: the runs they start, the runs they end, then
    /// the chains. A chain updated more than once goes through one more set of statements per repetition, in
    /// order. Returns the ids of the chains that exist.
    /// </summary>
    private static async Task<HashSet<string>> UpdateChainsAsync(NpgsqlConnection connection, IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct)
    {
        // One implicit transaction, committed by the server as soon as the last statement ran: no round trip for the
        // commit while the count rows are locked (another silo's group waits for them).
        await using var batch = new NpgsqlBatch(connection);
        // Plans for these array statements are made for each call, with the arrays' lengths and the table's size of the
        // moment: a generic plan kept from when the table was small (a fresh registry) scans it for every element.
        // (Local to the transaction, which lasts until the batch ends.)
        batch.BatchCommands.Add(new NpgsqlBatchCommand("SELECT set_config('plan_cache_mode', 'force_custom_plan', true)"));
        var rounds = new List<List<ProcessChainUpdate>>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var u in updates)
        {
            int round = seen.TryGetValue(u.Id, out int n) ? n : 0;
            seen[u.Id] = round + 1;
            if (round == rounds.Count) rounds.Add([]);
            rounds[round].Add(u);
        }
        foreach (var round in rounds)
        {
            // the runs first, the chains last: the chains' statement locks the count rows (its trigger), which are then
            // held only until the commit right after it
            var starts = round.FindAll(RunOutcome.Starts);
            if (starts.Count > 0)
            {
                batch.BatchCommands.Add(BatchCommand(InsertRunsSql,
                    Array(starts, u => u.Id, NpgsqlDbType.Text), Array(starts, u => u.RunNumber, NpgsqlDbType.Integer),
                    Array(starts, u => u.AgentId, NpgsqlDbType.Text), Array(starts, u => Utc(u.StartTime), NpgsqlDbType.TimestampTz)));
            }
            var ends = round.Select(u => (Update: u, End: RunOutcome.Of(u))).Where(x => x.End is not null).ToList();
            if (ends.Count > 0)
            {
                batch.BatchCommands.Add(BatchCommand(EndRunsSql,
                    Array(ends, x => x.Update.Id, NpgsqlDbType.Text), Array(ends, x => Utc(x.Update.EndTime), NpgsqlDbType.TimestampTz),
                    Array(ends, x => x.End!.Value.Status, NpgsqlDbType.Text), Array(ends, x => x.End!.Value.ErrorMessage, NpgsqlDbType.Text),
                    Array(ends, x => x.Update.InRun, NpgsqlDbType.Integer)));
            }
            batch.BatchCommands.Add(BatchCommand(UpdateChainsSql,
                Array(round, u => u.Id, NpgsqlDbType.Text), Array(round, u => u.Status, NpgsqlDbType.Text),
                Array(round, u => Utc(u.StartTime), NpgsqlDbType.TimestampTz), Array(round, u => Utc(u.EndTime), NpgsqlDbType.TimestampTz),
                Array(round, u => u.Results is null ? null : Encoding.UTF8.GetString(Utf8Json(u.Results)), NpgsqlDbType.Text),
                Array(round, u => u.ErrorMessage, NpgsqlDbType.Text), Array(round, u => u.AgentId, NpgsqlDbType.Text),
                Array(round, u => u.RunNumber, NpgsqlDbType.Integer), Array(round, u => (bool?)u.Reset, NpgsqlDbType.Boolean),
                Array(round, u => u.InRun, NpgsqlDbType.Integer)));
        }
        var found = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await batch.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            // set_config's row first, then the RETURNING rows of the chain statements; the run statements return none
            while (await reader.NextResultAsync(ct).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(ct).ConfigureAwait(false)) found.Add(reader.GetString(0));
            }
        }
        return found;
    }

    private static DateTimeOffset? Utc(DateTimeOffset? value) => value?.ToUniversalTime();

    /// <summary>One array parameter of a column: null elements stay null.</summary>
    private static NpgsqlParameter Array<TItem, TValue>(IReadOnlyList<TItem> items, Func<TItem, TValue> value, NpgsqlDbType type)
    {
        var values = new TValue[items.Count];
        for (int i = 0; i < values.Length; i++) values[i] = value(items[i]);
        return new NpgsqlParameter { Value = values, NpgsqlDbType = NpgsqlDbType.Array | type };
    }
}
