using Microsoft.Data.Sqlite;
using Steep.Core.Models;
using static Steep.Persistence.Sqlite.SqliteValues;

namespace Steep.Persistence.Sqlite;

// ISubmissionStore: submissions, the generator journal and checkpoints.
public sealed partial class SqliteStore
{
    // Correlated look-ups in process_chain_counts (primary key): O(1) per submission, whatever its number of chains.
    private const string CountColumns = $"""
        (SELECT SUM(n) FROM process_chain_counts c WHERE c.submission_id = s.id),
        (SELECT n FROM process_chain_counts c WHERE c.submission_id = s.id AND c.status = '{ProcessChainStatus.Running}'),
        (SELECT n FROM process_chain_counts c WHERE c.submission_id = s.id AND c.status = '{ProcessChainStatus.Cancelled}'),
        (SELECT n FROM process_chain_counts c WHERE c.submission_id = s.id AND c.status = '{ProcessChainStatus.Success}'),
        (SELECT n FROM process_chain_counts c WHERE c.submission_id = s.id AND c.status = '{ProcessChainStatus.Error}'),
        (SELECT n FROM process_chain_counts c WHERE c.submission_id = s.id AND c.status = '{StoreStatuses.Paused}'),
        s.name, s.priority
        """;

    /// <inheritdoc />
    public Task AddAsync(Submission submission, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var values = new object?[]
        {
            submission.Id, submission.Status, Time(submission.StartTime), Time(submission.EndTime),
            Json(submission.RequiredCapabilities), Json(submission.Workflow), Json(submission.Results), submission.ErrorMessage,
            submission.Name, submission.Priority,
            submission.ServiceMetadata is null ? null : Json(submission.ServiceMetadata),
        };
        return WriteAsync(async (s, token) =>
        {
            if (await s.LastStep.ScalarAsync(token, submission.Id).ConfigureAwait(false) is not null)
                throw new InvalidOperationException($"A submission with id '{submission.Id}' exists already.");
            var inserted = await s.InsertSubmission.ExecuteAsync(token, values).ConfigureAwait(false);
            await s.InsertJournal.ExecuteAsync(token, submission.Id).ConfigureAwait(false);
            if (submission.Source is { } source) await s.InsertSource.ExecuteAsync(token, submission.Id, source).ConfigureAwait(false);
            return inserted;
        }, ct);
    }

    /// <inheritdoc />
    Task<Submission?> ISubmissionStore.GetAsync(string id, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null, $"""
            SELECT s.id, s.status, s.start_time, s.end_time, s.required_capabilities, {CountColumns},
                   s.workflow, s.results, s.error_message,
                   (SELECT source FROM submission_sources x WHERE x.submission_id = s.id), s.services
            FROM submissions s WHERE s.id = $id
            """, ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        if (!await reader.ReadAsync(token).ConfigureAwait(false)) return null;
        return ReadSubmission(reader) with
        {
            Workflow = FromJsonOrNull<Workflow>(reader, 13),
            Results = FromJsonOrNull<IReadOnlyDictionary<string, IReadOnlyList<string>>>(reader, 14),
            ErrorMessage = StringOrNull(reader, 15),
            Source = StringOrNull(reader, 16),
            ServiceMetadata = FromJsonOrNull<IReadOnlyList<Service>>(reader, 17),
        };
    }, ct);

    /// <inheritdoc />
    public Task<Submission?> GetSummaryAsync(string id, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null, $"""
            SELECT s.id, s.status, s.start_time, s.end_time, s.required_capabilities, {CountColumns}, s.error_message
            FROM submissions s WHERE s.id = $id
            """, ("$id", id));
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
            // json_each walks the stored text in its order; only the page's values become .NET objects
            using var tx = connection.BeginTransaction(deferred: true);
            await using var count = Command(connection, tx,
                "SELECT (SELECT COUNT(*) FROM json_each(s.results)) FROM submissions s WHERE s.id = $id", ("$id", id));
            if (await count.ExecuteScalarAsync(token).ConfigureAwait(false) is not long total) return null;
            await using var page = Command(connection, tx, """
                SELECT j.key, j.value FROM submissions s, json_each(s.results) j WHERE s.id = $id LIMIT $size OFFSET $offset
                """, ("$id", id), ("$size", size), ("$offset", offset));
            var items = new List<KeyValuePair<string, IReadOnlyList<string>>>();
            await using var reader = await page.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
                items.Add(new(reader.GetString(0), FromJson<IReadOnlyList<string>>(reader, 1)));
            return new Page<KeyValuePair<string, IReadOnlyList<string>>>(items, (int)total);
        }, ct);
    }

    /// <inheritdoc />
    public Task<Page<Submission>> ListAsync(int offset, int size, string? status, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var where = status is null ? "" : "WHERE s.status = $status";
        return ReadAsync(async (connection, token) =>
        {
            // One snapshot for the page and its total.
            using var tx = connection.BeginTransaction(deferred: true);
            await using var count = Command(connection, tx, $"SELECT COUNT(*) FROM submissions s {where}", ("$status", status));
            var total = Convert.ToInt32(await count.ExecuteScalarAsync(token).ConfigureAwait(false));
            await using var list = Command(connection, tx, $"""
                SELECT s.id, s.status, s.start_time, s.end_time, s.required_capabilities, {CountColumns}
                FROM submissions s {where}
                ORDER BY s.seq DESC LIMIT $size OFFSET $offset
                """, ("$status", status), ("$size", size), ("$offset", offset));
            var items = new List<Submission>();
            await using (var reader = await list.ExecuteReaderAsync(token).ConfigureAwait(false))
            {
                while (await reader.ReadAsync(token).ConfigureAwait(false)) items.Add(ReadSubmission(reader));
            }
            return new Page<Submission>(items, total);
        }, ct);
    }

    /// <inheritdoc />
    public Task<bool> UpdateAsync(SubmissionUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        var values = new object?[]
        {
            update.Id, update.Status, Time(update.StartTime), Time(update.EndTime), Json(update.Results), update.ErrorMessage,
        };
        return WriteAsync(async (s, token) =>
            await s.UpdateSubmission.ExecuteAsync(token, values).ConfigureAwait(false) > 0, ct);
    }

    /// <inheritdoc />
    public Task<bool> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct) =>
        WriteAsync(async (s, token) =>
        {
            if (await s.SetSubmissionPriority.ExecuteAsync(token, submissionId, priority).ConfigureAwait(false) == 0) return false;
            await s.SetUnfinishedChainsPriority.ExecuteAsync(token, submissionId, priority).ConfigureAwait(false);
            return true;
        }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> ListUnfinishedIdsAsync(CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null, $"""
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
        return WriteAsync(async (s, token) =>
        {
            if (await s.AdvanceStep.ExecuteAsync(token, submissionId, step.Step).ConfigureAwait(false) == 0)
            {
                var last = await s.LastStep.ScalarAsync(token, submissionId).ConfigureAwait(false);
                throw last is null
                    ? new InvalidOperationException($"Unknown submission '{submissionId}'.")
                    : new InvalidOperationException(
                        $"Generator step {step.Step} of submission '{submissionId}' does not follow step {last}.");
            }
            await s.InsertStep.ExecuteAsync(token, submissionId, step.Step, step.Input).ConfigureAwait(false);
            // Each chain is serialized right before its insert: short-lived UTF-8 buffers instead of a large step's
            // JSON held in memory (and promoted by the GC) for the whole transaction.
            var row = new object?[5];
            byte[]? capabilities = null;
            string? capabilityWords = null;
            IReadOnlyList<string>? lastCapabilities = null;
            foreach (var chain in newChains)
            {
                // Chains of one step usually share their capabilities: serialize each distinct list once.
                if (capabilities is null || !chain.RequiredCapabilities.SequenceEqual(lastCapabilities!))
                {
                    capabilities = Utf8Json(chain.RequiredCapabilities);
                    capabilityWords = string.Join(' ', chain.RequiredCapabilities);
                    lastCapabilities = chain.RequiredCapabilities;
                }
                row[0] = chain.Id;
                row[1] = submissionId;
                row[2] = chain.Priority;
                row[3] = capabilities;
                row[4] = Utf8Json(chain.Executables);
                await s.InsertChain.ExecuteAsync(token, row).ConfigureAwait(false);
                await s.IndexChain.ExecuteAsync(token, chain.Id, capabilityWords).ConfigureAwait(false);
            }
            if (newChains.Count > 0)
                await s.AddRegisteredCount.ExecuteAsync(token, submissionId, newChains.Count).ConfigureAwait(false);
            return 0;
        }, ct);
    }

    /// <inheritdoc />
    public Task SaveCheckpointAsync(string submissionId, GeneratorCheckpoint checkpoint, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return WriteAsync(async (s, token) =>
        {
            long lastStep;
            long? storedStep;
            await using (var reader = await s.CheckpointState.ReaderAsync(token, submissionId).ConfigureAwait(false))
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
            await s.UpsertCheckpoint.ExecuteAsync(token, submissionId, checkpoint.Step, checkpoint.State).ConfigureAwait(false);
            return await s.DropSteps.ExecuteAsync(token, submissionId, checkpoint.Step).ConfigureAwait(false);
        }, ct);
    }

    /// <inheritdoc />
    public Task<GeneratorCheckpoint?> GetCheckpointAsync(string submissionId, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null,
            "SELECT step, state FROM generator_checkpoints WHERE submission_id = $id", ("$id", submissionId));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        return await reader.ReadAsync(token).ConfigureAwait(false)
            ? new GeneratorCheckpoint(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1))
            : null;
    }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<GeneratorStep>> GetStepsAsync(string submissionId, long afterStep, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null,
            "SELECT step, input FROM generator_steps WHERE submission_id = $id AND step > $after ORDER BY step",
            ("$id", submissionId), ("$after", afterStep));
        var steps = new List<GeneratorStep>();
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false))
            steps.Add(new GeneratorStep(reader.GetInt64(0), reader.GetFieldValue<byte[]>(1)));
        return (IReadOnlyList<GeneratorStep>)steps;
    }, ct);

    /// <summary>Reads the columns common to get and list: id, status, times, capabilities, the six counts, name and priority.</summary>
    private static Submission ReadSubmission(SqliteDataReader reader) => new()
    {
        Id = reader.GetString(0),
        Status = reader.GetString(1),
        StartTime = Time(reader, 2),
        EndTime = Time(reader, 3),
        RequiredCapabilities = FromJson<IReadOnlyList<string>>(reader, 4),
        TotalProcessChains = IntOrZero(reader, 5),
        RunningProcessChains = IntOrZero(reader, 6),
        CancelledProcessChains = IntOrZero(reader, 7),
        SucceededProcessChains = IntOrZero(reader, 8),
        FailedProcessChains = IntOrZero(reader, 9),
        PausedProcessChains = IntOrZero(reader, 10),
        // set explicitly: without the workflow (listings) they could not default to the workflow's
        Name = StringOrNull(reader, 11),
        Priority = reader.GetInt32(12),
    };
}
