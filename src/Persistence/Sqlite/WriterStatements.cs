using Microsoft.Data.Sqlite;
using Steep.Core.Models;

namespace Steep.Persistence.Sqlite;

/// <summary>The prepared statements of the writer connection, reused by every write.</summary>
internal sealed class WriterStatements : IDisposable
{
    // the chain updates' guard: an update bound to a run ($in_run) is made only while the chain is RUNNING in that run
    // (see ProcessChainUpdate.InRun)
    private const string InRunGuard = $"($in_run IS NULL OR (status = '{ProcessChainStatus.Running}' AND run_number = $in_run))";

    public WriterStatements(SqliteConnection writer)
    {
        Begin = new(writer, "BEGIN IMMEDIATE");
        Commit = new(writer, "COMMIT");
        Rollback = new(writer, "ROLLBACK");
        Savepoint = new(writer, "SAVEPOINT write");
        ReleaseSavepoint = new(writer, "RELEASE write");
        RollbackToSavepoint = new(writer, "ROLLBACK TO write");
        InsertSubmission = new(writer, """
            INSERT INTO submissions (id, status, start_time, end_time, required_capabilities, workflow, results, error_message, name, priority, services)
            VALUES ($id, $status, $start_time, $end_time, $required_capabilities, $workflow, $results, $error_message, $name, $priority, $services)
            """, "$id", "$status", "$start_time", "$end_time", "$required_capabilities", "$workflow", "$results", "$error_message", "$name", "$priority", "$services");
        InsertSource = new(writer, "INSERT INTO submission_sources (submission_id, source) VALUES ($id, $source)", "$id", "$source");
        SetSubmissionPriority = new(writer, "UPDATE submissions SET priority = $priority WHERE id = $id", "$id", "$priority");
        SetUnfinishedChainsPriority = new(writer, $"""
            UPDATE process_chains SET priority = $priority
            WHERE submission_id = $id AND status IN ('{ProcessChainStatus.Registered}', '{StoreStatuses.Paused}', '{ProcessChainStatus.Running}')
            """, "$id", "$priority");
        SetChainPriority = new(writer, "UPDATE process_chains SET priority = $priority WHERE id = $id", "$id", "$priority");
        UpdateSubmission = new(writer, """
            UPDATE submissions SET
                status = COALESCE($status, status),
                start_time = COALESCE($start_time, start_time),
                end_time = COALESCE($end_time, end_time),
                results = COALESCE($results, results),
                error_message = COALESCE($error_message, error_message)
            WHERE id = $id
            """, "$id", "$status", "$start_time", "$end_time", "$results", "$error_message");
        AdvanceStep = new(writer,
            "UPDATE submission_journal SET last_step = $step WHERE submission_id = $id AND last_step = $step - 1",
            "$id", "$step");
        LastStep = new(writer, "SELECT last_step FROM submission_journal WHERE submission_id = $id", "$id");
        InsertJournal = new(writer, "INSERT INTO submission_journal (submission_id, last_step) VALUES ($id, 0)", "$id");
        InsertStep = new(writer,
            "INSERT INTO generator_steps (submission_id, step, input) VALUES ($id, $step, $input)",
            "$id", "$step", "$input");
        // The JSON columns come as UTF-8 blobs and are stored as TEXT by the CAST, which saves a UTF-16 round trip.
        InsertChain = new(writer, $"""
            INSERT INTO process_chains (id, submission_id, status, priority, required_capabilities, executables)
            VALUES ($id, $submission_id, '{ProcessChainStatus.Registered}', $priority,
                    CAST($required_capabilities AS TEXT), CAST($executables AS TEXT))
            """, "$id", "$submission_id", "$priority", "$required_capabilities", "$executables");
        // the chain just inserted (its seq is the last rowid), for the search
        IndexChain = new(writer, """
            INSERT INTO process_chain_search (rowid, id, required_capabilities) VALUES (last_insert_rowid(), $id, $required_capabilities)
            """, "$id", "$required_capabilities");
        ReindexError = new(writer, """
            UPDATE process_chain_search SET error_message = (SELECT error_message FROM process_chains WHERE id = $id)
            WHERE rowid = (SELECT seq FROM process_chains WHERE id = $id)
            """, "$id");
        AddRegisteredCount = new(writer, $"""
            INSERT INTO process_chain_counts (submission_id, status, n) VALUES ($id, '{ProcessChainStatus.Registered}', $n)
            ON CONFLICT (submission_id, status) DO UPDATE SET n = n + excluded.n
            """, "$id", "$n");
        // With Reset, the cleared columns take the update's value or NULL; without, the update's value or the old one.
        UpdateChain = new(writer, $"""
            UPDATE process_chains SET
                status = COALESCE($status, status),
                start_time = COALESCE($start_time, CASE WHEN $reset THEN NULL ELSE start_time END),
                end_time = COALESCE($end_time, CASE WHEN $reset THEN NULL ELSE end_time END),
                results = COALESCE($results, CASE WHEN $reset THEN NULL ELSE results END),
                error_message = COALESCE($error_message, CASE WHEN $reset THEN NULL ELSE error_message END),
                agent_id = COALESCE($agent_id, CASE WHEN $reset THEN NULL ELSE agent_id END),
                run_number = COALESCE($run_number, run_number)
            WHERE id = $id AND {InRunGuard}
            """, "$id", "$status", "$start_time", "$end_time", "$results", "$error_message", "$agent_id", "$run_number", "$reset", "$in_run");
        // The two updates every chain gets, without the columns they leave alone: SQLite rewrites the index of every
        // column a SET names, changed or not, so a start that named end_time (and an end that named start_time) wrote
        // an index page it did not change, about one WAL frame in eight. Same values (positions) as UpdateChain.
        StartChain = new(writer, $"""
            UPDATE process_chains SET
                status = COALESCE($status, status),
                start_time = COALESCE($start_time, start_time),
                agent_id = COALESCE($agent_id, agent_id),
                run_number = COALESCE($run_number, run_number)
            WHERE id = $id AND {InRunGuard}
            """, "$id", "$status", "$start_time", "$end_time", "$results", "$error_message", "$agent_id", "$run_number", "$reset", "$in_run");
        EndChain = new(writer, $"""
            UPDATE process_chains SET
                status = COALESCE($status, status),
                end_time = COALESCE($end_time, end_time),
                results = COALESCE($results, results),
                error_message = COALESCE($error_message, error_message)
            WHERE id = $id AND {InRunGuard}
            """, "$id", "$status", "$start_time", "$end_time", "$results", "$error_message", "$agent_id", "$run_number", "$reset", "$in_run");
        // A run is recorded once: the completion of a chain whose RUNNING write failed carries the start again.
        InsertRun = new(writer, $"""
            INSERT INTO process_chain_runs (chain_id, run_number, agent_id, start_time, status)
            VALUES ($id, $run_number, $agent_id, $start_time, '{ProcessChainStatus.Running}')
            ON CONFLICT (chain_id, run_number) DO NOTHING
            """, "$id", "$run_number", "$agent_id", "$start_time");
        // At most one run of a chain is open (RUNNING): a new one starts only after the chain left RUNNING.
        EndRun = new(writer, $"""
            UPDATE process_chain_runs SET end_time = $end_time, status = $status, error_message = $error_message
            WHERE chain_id = $id AND status = '{ProcessChainStatus.Running}' AND ($in_run IS NULL OR run_number = $in_run)
            """, "$id", "$end_time", "$status", "$error_message", "$in_run");
        CheckpointState = new(writer, """
            SELECT j.last_step, c.step FROM submission_journal j
            LEFT JOIN generator_checkpoints c ON c.submission_id = j.submission_id
            WHERE j.submission_id = $id
            """, "$id");
        UpsertCheckpoint = new(writer, """
            INSERT INTO generator_checkpoints (submission_id, step, state) VALUES ($id, $step, $state)
            ON CONFLICT (submission_id) DO UPDATE SET step = excluded.step, state = excluded.state
            """, "$id", "$step", "$state");
        DropSteps = new(writer,
            "DELETE FROM generator_steps WHERE submission_id = $id AND step <= $step",
            "$id", "$step");
    }

    public PreparedStatement Begin { get; }
    public PreparedStatement Commit { get; }
    public PreparedStatement Rollback { get; }
    public PreparedStatement Savepoint { get; }
    public PreparedStatement ReleaseSavepoint { get; }
    public PreparedStatement RollbackToSavepoint { get; }
    public PreparedStatement InsertSubmission { get; }
    public PreparedStatement InsertSource { get; }
    public PreparedStatement SetSubmissionPriority { get; }
    public PreparedStatement SetUnfinishedChainsPriority { get; }
    public PreparedStatement SetChainPriority { get; }
    public PreparedStatement UpdateSubmission { get; }
    public PreparedStatement AdvanceStep { get; }
    public PreparedStatement LastStep { get; }
    public PreparedStatement InsertJournal { get; }
    public PreparedStatement InsertStep { get; }
    public PreparedStatement InsertChain { get; }
    public PreparedStatement AddRegisteredCount { get; }
    public PreparedStatement IndexChain { get; }
    public PreparedStatement ReindexError { get; }
    public PreparedStatement UpdateChain { get; }
    public PreparedStatement StartChain { get; }
    public PreparedStatement EndChain { get; }
    public PreparedStatement InsertRun { get; }
    public PreparedStatement EndRun { get; }
    public PreparedStatement CheckpointState { get; }
    public PreparedStatement UpsertCheckpoint { get; }
    public PreparedStatement DropSteps { get; }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var s in new[] { Begin, Commit, Rollback, Savepoint, ReleaseSavepoint, RollbackToSavepoint, InsertSubmission, InsertSource, SetSubmissionPriority, SetUnfinishedChainsPriority, SetChainPriority, UpdateSubmission, AdvanceStep, LastStep, InsertJournal, InsertStep, InsertChain, AddRegisteredCount, IndexChain, ReindexError, UpdateChain, StartChain, EndChain, InsertRun, EndRun, CheckpointState, UpsertCheckpoint, DropSteps })
            s.Dispose();
    }
}
