using Npgsql;
using NpgsqlTypes;
using Steep.Core.Models;
using static Steep.Persistence.Postgres.PostgresValues;

namespace Steep.Persistence.Postgres;

// ISubmissionStore: submissions, the generator journal and checkpoints.
public sealed partial class PostgresStore
{
    // Up to this many chains a step's rows go into the batch with the journal advance (one round trip); above it a
    // binary COPY streams them, which costs a round trip more but is several times faster per row.
    private const int CopyThreshold = 16;

    // One primary-key range of process_chain_counts per submission (a row per status and shard): O(1), whatever its
    // number of chains.
    private const string CountsJoin = $"""
        LEFT JOIN LATERAL (
            SELECT SUM(n) AS total,
                   SUM(n) FILTER (WHERE status = '{ProcessChainStatus.Running}') AS running,
                   SUM(n) FILTER (WHERE status = '{ProcessChainStatus.Cancelled}') AS cancelled,
                   SUM(n) FILTER (WHERE status = '{ProcessChainStatus.Success}') AS succeeded,
                   SUM(n) FILTER (WHERE status = '{ProcessChainStatus.Error}') AS failed,
                   SUM(n) FILTER (WHERE status = '{StoreStatuses.Paused}') AS paused
            FROM process_chain_counts c WHERE c.submission_id = s.id
        ) c ON true
        """;

    private const string SubmissionColumns =
        "s.id, s.status, s.start_time, s.end_time, s.required_capabilities, c.total, c.running, c.cancelled, c.succeeded, c.failed, " +
        "c.paused, s.name, s.priority";

    private const string InsertChainSql = $"""
        INSERT INTO process_chains (id, submission_id, status, priority, required_capabilities, executables)
        VALUES ($1, $2, '{ProcessChainStatus.Registered}', $3, $4, $5)
        """;

    /// <inheritdoc />
    public Task AddAsync(Submission submission, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(submission);
        return WriteAsync(async (connection, retried, token) =>
        {
            // Both rows in one statement: atomic without a transaction of its own, one round trip.
            await using var command = Command(connection, """
                WITH s AS (
                    INSERT INTO submissions (id, status, start_time, end_time, required_capabilities, workflow, results, error_message, services,
                                             name, priority, source)
                    VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
                    RETURNING id
                )
                INSERT INTO submission_journal (submission_id, last_step) SELECT id, 0 FROM s
                """,
                Text(submission.Id), Text(submission.Status), Time(submission.StartTime), Time(submission.EndTime),
                TextArray(submission.RequiredCapabilities), Json(submission.Workflow), Json(submission.Results),
                Text(submission.ErrorMessage), Json(submission.ServiceMetadata), Text(submission.Name), Integer(submission.Priority),
                Text(submission.Source));
            try
            {
                return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation && retried)
            {
                return 1; // the try that lost the database had stored it (ids are new for every submission)
            }
            catch (PostgresException e) when (e.SqlState == UniqueViolation)
            {
                throw new InvalidOperationException($"A submission with id '{submission.Id}' exists already.", e);
            }
        }, ct);
    }

    /// <inheritdoc />
    Task<Submission?> ISubmissionStore.GetAsync(string id, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, $"""
            SELECT {SubmissionColumns}, s.workflow, s.results, s.error_message, s.services, s.source
            FROM submissions s {CountsJoin} WHERE s.id = $1
            """, Text(id));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        if (!await reader.ReadAsync(token).ConfigureAwait(false)) return null;
        return ReadSubmission(reader) with
        {
            Workflow = FromJsonOrNull<Workflow>(reader, 13),
            Results = FromJsonOrNull<IReadOnlyDictionary<string, IReadOnlyList<string>>>(reader, 14),
            ErrorMessage = StringOrNull(reader, 15),
            ServiceMetadata = FromJsonOrNull<IReadOnlyList<Service>>(reader, 16),
            Source = StringOrNull(reader, 17),
        };
    }, ct);

    /// <inheritdoc />
    public Task<Submission?> GetSummaryAsync(string id, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, $"""
            SELECT {SubmissionColumns}, s.error_message FROM submissions s {CountsJoin} WHERE s.id = $1
            """, Text(id));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        if (!await reader.ReadAsync(token).ConfigureAwait(false)) return null;
        return ReadSubmission(reader) with { ErrorMessage = StringOrNull(reader, 13) };
    }, ct);

    /// <inheritdoc />
    public Task<Page<KeyValuePair<string, IReadOnlyList<string>>>?> GetResultsAsync(string id, int offset, int size, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        return ReadAsync(async (connection, token) =>
        {
            // json (not jsonb) keeps the text's order, which json_each walks; the count comes on every row, and alone
            // (with a null key) when the page is empty; no row at all: no such submission
            await using var command = Command(connection, """
                SELECT (SELECT COUNT(*) FROM json_each(s.results)), p.key, p.value
                FROM submissions s LEFT JOIN LATERAL (
                    SELECT j.key, j.value FROM json_each(s.results) WITH ORDINALITY j ORDER BY j.ordinality LIMIT $2 OFFSET $3
                ) p ON true
                WHERE s.id = $1
                """, Text(id), Integer(size), Integer(offset));
            var items = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            long? total = null;
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                total = reader.GetInt64(0);
                if (!reader.IsDBNull(1)) items.Add(new(reader.GetString(1), FromJson<IReadOnlyList<string>>(reader, 2)));
            }
            return total is { } n ? new Page<KeyValuePair<string, IReadOnlyList<string>>>(items, (int)n) : null;
        }, ct);
    }

    /// <inheritdoc />
    public Task<Page<Submission>> ListAsync(int offset, int size, string? status, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var where = status is null ? "" : "WHERE s.status = $3";
        return ReadAsync(async (connection, token) =>
        {
            // The page and its total in one statement, hence one snapshot and one round trip; the total comes on every
            // row, and alone (with a null page row) when the page is empty.
            await using var command = Command(connection, $"""
                WITH total AS (SELECT COUNT(*) AS n FROM submissions s {where})
                SELECT total.n, p.* FROM total LEFT JOIN LATERAL (
                    SELECT {SubmissionColumns} FROM submissions s {CountsJoin} {where}
                    ORDER BY s.seq DESC LIMIT $1 OFFSET $2
                ) p ON true
                """, [Integer(size), Integer(offset), .. status is null ? [] : new[] { Text(status) }]);
            var items = new List<Submission>();
            int total = 0;
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                total = (int)reader.GetInt64(0);
                if (!reader.IsDBNull(1)) items.Add(ReadSubmission(reader, 1));
            }
            return new Page<Submission>(items, total);
        }, ct);
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(SubmissionUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        return WriteAsync(async (connection, token) =>
        {
            await using var command = Command(connection, """
                UPDATE submissions SET
                    status = COALESCE($2, status),
                    start_time = COALESCE($3, start_time),
                    end_time = COALESCE($4, end_time),
                    results = COALESCE($5, results),
                    error_message = COALESCE($6, error_message)
                WHERE id = $1
                """,
                Text(update.Id), Text(update.Status), Time(update.StartTime), Time(update.EndTime), Json(update.Results),
                Text(update.ErrorMessage));
            return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false) > 0;
        }, ct);
    }

    /// <inheritdoc />
    public Task<bool> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct) =>
        WriteAsync(async (connection, token) =>
        {
            // both in one statement: atomic without a transaction of its own
            await using var command = Command(connection, $"""
                WITH s AS (UPDATE submissions SET priority = $2 WHERE id = $1 RETURNING id),
                c AS (
                    UPDATE process_chains SET priority = $2
                    WHERE submission_id IN (SELECT id FROM s)
                      AND status IN ('{ProcessChainStatus.Registered}', '{StoreStatuses.Paused}', '{ProcessChainStatus.Running}')
                )
                SELECT COUNT(*) FROM s
                """, Text(submissionId), Integer(priority));
            return Convert.ToInt64(await command.ExecuteScalarAsync(token).ConfigureAwait(false)) > 0;
        }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListUnfinishedIdsAsync(CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, $"""
            SELECT id FROM submissions
            WHERE status IN ('{SubmissionStatus.Accepted}', '{SubmissionStatus.Running}')
            ORDER BY seq
            """);
        var ids = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false)) ids.Add(reader.GetString(0));
        return (IReadOnlyList<string>)ids;
    }, ct);

    /// <inheritdoc />
    public Task CommitStepAsync(string submissionId, GeneratorStep step, IReadOnlyList<ProcessChain> newChains, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(newChains);
        return WriteAsync(async (connection, retried, token) =>
        {
            await using var tx = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
            await using (var batch = new NpgsqlBatch(connection, tx))
            {
                // The journal advances only from the step before (the row lock orders concurrent committers of one
                // submission), and the step's input is stored only when it did.
                batch.BatchCommands.Add(BatchCommand("""
                    WITH advanced AS (
                        UPDATE submission_journal SET last_step = $2 WHERE submission_id = $1 AND last_step = $2 - 1
                        RETURNING submission_id
                    )
                    INSERT INTO generator_steps (submission_id, step, input) SELECT submission_id, $2, $3 FROM advanced
                    """, Text(submissionId), Bigint(step.Step), Bytes(step.Input)));
                if (newChains.Count > 0)
                {
                    // into this server process's shard, as the status trigger does (see the schema)
                    batch.BatchCommands.Add(BatchCommand($"""
                        INSERT INTO process_chain_counts (submission_id, status, shard, n)
                        VALUES ($1, '{ProcessChainStatus.Registered}', pg_backend_pid() % 16, $2)
                        ON CONFLICT (submission_id, status, shard) DO UPDATE SET n = process_chain_counts.n + excluded.n
                        """, Text(submissionId), Bigint(newChains.Count)));
                }
                if (newChains.Count <= CopyThreshold)
                {
                    foreach (var chain in newChains)
                    {
                        batch.BatchCommands.Add(BatchCommand(InsertChainSql, Text(chain.Id), Text(submissionId), Integer(chain.Priority),
                            TextArray(chain.RequiredCapabilities), Json(chain.Executables)));
                    }
                }
                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
                if (batch.BatchCommands[0].RecordsAffected == 0)
                {
                    await tx.RollbackAsync(CancellationToken.None).ConfigureAwait(false);
                    // the try that lost the database had committed this step (only the submission's grain commits them)
                    if (retried && await LastStepAsync(connection, submissionId, token).ConfigureAwait(false) == step.Step) return 0;
                    throw await NotFollowingAsync(connection, submissionId, step.Step, token).ConfigureAwait(false);
                }
            }
            if (newChains.Count > CopyThreshold) await CopyChainsAsync(connection, submissionId, newChains, token).ConfigureAwait(false);
            // Not cancellable: once the changes are made, committing them is cheaper than undoing them.
            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }, ct);
    }

    private static async Task CopyChainsAsync(NpgsqlConnection connection, string submissionId, IReadOnlyList<ProcessChain> chains, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(
            "COPY process_chains (id, submission_id, status, priority, required_capabilities, executables) FROM STDIN (FORMAT BINARY)",
            ct).ConfigureAwait(false);
        string[]? capabilities = null;
        foreach (var chain in chains)
        {
            // Chains of one step usually share their capabilities: convert each distinct list once.
            if (capabilities is null || !chain.RequiredCapabilities.SequenceEqual(capabilities))
                capabilities = chain.RequiredCapabilities as string[] ?? chain.RequiredCapabilities.ToArray();
            await importer.StartRowAsync(ct).ConfigureAwait(false);
            await importer.WriteAsync(chain.Id, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(submissionId, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            await importer.WriteAsync(ProcessChainStatus.Registered, NpgsqlDbType.Text, ct).ConfigureAwait(false);
            if (chain.Priority is { } priority) await importer.WriteAsync(priority, NpgsqlDbType.Integer, ct).ConfigureAwait(false);
            else await importer.WriteNullAsync(ct).ConfigureAwait(false);
            await importer.WriteAsync(capabilities, NpgsqlDbType.Array | NpgsqlDbType.Text, ct).ConfigureAwait(false);
            // Serialized right before it is written: short-lived buffers instead of the step's JSON held in memory.
            await importer.WriteAsync(Utf8Json(chain.Executables), NpgsqlDbType.Json, ct).ConfigureAwait(false);
        }
        // Without Complete, disposing the importer cancels the COPY (and the transaction fails).
        await importer.CompleteAsync(ct).ConfigureAwait(false);
    }

    private static async Task<long?> LastStepAsync(NpgsqlConnection connection, string submissionId, CancellationToken ct)
    {
        await using var command = Command(connection, "SELECT last_step FROM submission_journal WHERE submission_id = $1", Text(submissionId));
        return await command.ExecuteScalarAsync(ct).ConfigureAwait(false) as long?;
    }

    private static async Task<InvalidOperationException> NotFollowingAsync(NpgsqlConnection connection, string submissionId, long step, CancellationToken ct)
    {
        var last = await LastStepAsync(connection, submissionId, ct).ConfigureAwait(false);
        return last is long l
            ? new InvalidOperationException($"Generator step {step} of submission '{submissionId}' does not follow step {l}.")
            : new InvalidOperationException($"Unknown submission '{submissionId}'.");
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(string submissionId, GeneratorCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return WriteAsync(async (connection, token) =>
        {
            await using var tx = await connection.BeginTransactionAsync(token).ConfigureAwait(false);
            long lastStep;
            long? storedStep;
            // FOR UPDATE: a step committed meanwhile cannot slip between the check and the write.
            await using (var read = Command(connection, """
                SELECT j.last_step, c.step FROM submission_journal j
                LEFT JOIN generator_checkpoints c ON c.submission_id = j.submission_id
                WHERE j.submission_id = $1
                FOR UPDATE OF j
                """, Text(submissionId)))
            await using (var reader = await read.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(token).ConfigureAwait(false))
                    throw new InvalidOperationException($"Unknown submission '{submissionId}'.");
                lastStep = reader.GetInt64(0);
                storedStep = reader.IsDBNull(1) ? null : reader.GetInt64(1);
            }
            if (checkpoint.Step > lastStep)
                throw new InvalidOperationException(
                    $"Checkpoint after step {checkpoint.Step} of submission '{submissionId}' is ahead of the journal (last step {lastStep}).");
            if (storedStep > checkpoint.Step)
                throw new InvalidOperationException(
                    $"Checkpoint after step {checkpoint.Step} of submission '{submissionId}' is older than the stored one (step {storedStep}).");
            await using (var batch = new NpgsqlBatch(connection, tx))
            {
                batch.BatchCommands.Add(BatchCommand("""
                    INSERT INTO generator_checkpoints (submission_id, step, state) VALUES ($1, $2, $3)
                    ON CONFLICT (submission_id) DO UPDATE SET step = excluded.step, state = excluded.state
                    """, Text(submissionId), Bigint(checkpoint.Step), Bytes(checkpoint.State)));
                batch.BatchCommands.Add(BatchCommand("DELETE FROM generator_steps WHERE submission_id = $1 AND step <= $2",
                    Text(submissionId), Bigint(checkpoint.Step)));
                await batch.ExecuteNonQueryAsync(token).ConfigureAwait(false);
            }
            await tx.CommitAsync(CancellationToken.None).ConfigureAwait(false);
            return 0;
        }, ct);
    }

    /// <inheritdoc />
    public Task<GeneratorCheckpoint?> GetCheckpointAsync(string submissionId, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, "SELECT step, state FROM generator_checkpoints WHERE submission_id = $1", Text(submissionId));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        return await reader.ReadAsync(token).ConfigureAwait(false)
            ? new GeneratorCheckpoint(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<GeneratorStep>> GetStepsAsync(string submissionId, long afterStep, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection,
            "SELECT step, input FROM generator_steps WHERE submission_id = $1 AND step > $2 ORDER BY step",
            Text(submissionId), Bigint(afterStep));
        var steps = new List<GeneratorStep>();
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false))
            steps.Add(new GeneratorStep(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return (IReadOnlyList<GeneratorStep>)steps;
    }, ct);

    /// <summary>Reads id, status, times, capabilities, then the five counts, from column <paramref name="first"/> on.</summary>
    private static Submission ReadSubmission(NpgsqlDataReader reader, int first = 0) => new()
    {
        Id = reader.GetString(first),
        Status = reader.GetString(first + 1),
        StartTime = Time(reader, first + 2),
        EndTime = Time(reader, first + 3),
        RequiredCapabilities = reader.GetFieldValue<string[]>(first + 4),
        TotalProcessChains = Count(reader, first + 5),
        RunningProcessChains = Count(reader, first + 6),
        CancelledProcessChains = Count(reader, first + 7),
        SucceededProcessChains = Count(reader, first + 8),
        FailedProcessChains = Count(reader, first + 9),
        PausedProcessChains = Count(reader, first + 10),
        // set explicitly: without the workflow (listings) they could not default to the workflow's
        Name = reader.IsDBNull(first + 11) ? null : reader.GetString(first + 11),
        Priority = reader.GetInt32(first + 12),
    };

    // SUM over bigint is numeric in PostgreSQL.
    private static int Count(NpgsqlDataReader reader, int ordinal) => reader.IsDBNull(ordinal) ? 0 : (int)reader.GetDecimal(ordinal);
}
