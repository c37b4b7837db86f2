using System.Text;
using Microsoft.Data.Sqlite;
using Steep.Core.Models;
using static Steep.Persistence.Sqlite.SqliteValues;

namespace Steep.Persistence.Sqlite;

// IProcessChainStore: process chains and their run-time state.
public sealed partial class SqliteStore
{
    private const string ChainColumns =
        "seq, id, submission_id, status, priority, required_capabilities, executables, start_time, end_time, results, error_message, agent_id, run_number";

    /// <inheritdoc />
    Task<StoredProcessChain?> IProcessChainStore.GetAsync(string id, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, null, $"SELECT {ChainColumns} FROM process_chains WHERE id = $id", ("$id", id));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        return await reader.ReadAsync(token).ConfigureAwait(false) ? ReadChain(reader) : null;
    }, ct);

    /// <inheritdoc />
    public Task<Page<StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var where = Where(submissionId, status);
        return ReadAsync(async (connection, token) =>
        {
            using var tx = connection.BeginTransaction(deferred: true);
            // The total comes from the maintained counts, not from counting the chains.
            await using var count = Command(connection, tx, $"SELECT COALESCE(SUM(n), 0) FROM process_chain_counts {where}",
                ("$submission_id", submissionId), ("$status", status));
            var total = Convert.ToInt32(await count.ExecuteScalarAsync(token).ConfigureAwait(false));
            var items = await QueryChainsAsync(connection, tx, $"""
                SELECT {ChainColumns} FROM process_chains {where}
                ORDER BY seq {(newestFirst ? "DESC" : "ASC")} LIMIT $size OFFSET $offset
                """, token, ("$submission_id", submissionId), ("$status", status), ("$size", size), ("$offset", offset))
                .ConfigureAwait(false);
            return new Page<StoredProcessChain>(items, total);
        }, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct) =>
        ReadAsync((connection, token) => QueryChainsAsync(connection, null,
            $"SELECT {ChainColumns} FROM process_chains {Where(submissionId, status)} ORDER BY seq",
            token, ("$submission_id", submissionId), ("$status", status)), ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ChainGraphRow>> ListGraphAsync(string submissionId, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection, null, """
                SELECT id, status, agent_id, start_time, end_time, executables
                FROM process_chains WHERE submission_id = $submission_id ORDER BY seq
                """, ("$submission_id", submissionId));
            var rows = new List<ChainGraphRow>();
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                var (services, inputs, outputs) = ExecutablesScanner.Scan(reader.GetFieldValue<byte[]>(5));
                rows.Add(new ChainGraphRow(reader.GetString(0), reader.GetString(1), StringOrNull(reader, 2), Time(reader, 3), Time(reader, 4),
                    services, inputs, outputs));
            }
            return (IReadOnlyList<ChainGraphRow>)rows;
        }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListByStatusAsync(string status, CancellationToken ct) =>
        ReadAsync((connection, token) => QueryChainsAsync(connection, null,
            $"SELECT {ChainColumns} FROM process_chains WHERE status = $status ORDER BY seq",
            token, ("$status", status)), ct);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(ProcessChainUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        var values = UpdateValues(update);
        return WriteAsync((s, token) => ApplyAsync(s, update, values, token), ct);
    }

    /// <summary>The chain's row, then its runs (see <see cref="IProcessChainStore.UpdateAsync"/>).</summary>
    private static async Task<bool> ApplyAsync(WriterStatements s, ProcessChainUpdate update, object?[] values, CancellationToken ct)
    {
        // a start or an end alone names only its own columns (see WriterStatements.StartChain)
        var statement = update.Reset ? s.UpdateChain
            : update.EndTime is null && update.Results is null && update.ErrorMessage is null ? s.StartChain
            : update.StartTime is null && update.AgentId is null && update.RunNumber is null ? s.EndChain
            : s.UpdateChain;
        if (await statement.ExecuteAsync(ct, values).ConfigureAwait(false) == 0) return false;
        if (update.ErrorMessage is not null || update.Reset) await s.ReindexError.ExecuteAsync(ct, update.Id).ConfigureAwait(false);
        if (RunOutcome.Starts(update))
            await s.InsertRun.ExecuteAsync(ct, update.Id, update.RunNumber, update.AgentId, Time(update.StartTime)).ConfigureAwait(false);
        if (RunOutcome.Of(update) is { } end)
            await s.EndRun.ExecuteAsync(ct, update.Id, Time(update.EndTime), end.Status, end.ErrorMessage, update.InRun).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) =>
        WriteAsync(async (s, token) =>
            await s.SetChainPriority.ExecuteAsync(token, processChainId, priority).ConfigureAwait(false) > 0, ct);

    /// <inheritdoc />
    public Task UpdateManyAsync(IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(updates);
        var values = updates.Select(UpdateValues).ToList();
        return WriteAsync(async (s, token) =>
        {
            for (int i = 0; i < updates.Count; i++) await ApplyAsync(s, updates[i], values[i], token).ConfigureAwait(false);
            return 0;
        }, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = submissionId is null
            ? Command(connection, null, "SELECT status, SUM(n) FROM process_chain_counts GROUP BY status HAVING SUM(n) > 0")
            : Command(connection, null, "SELECT status, n FROM process_chain_counts WHERE submission_id = $submission_id AND n > 0",
                ("$submission_id", submissionId));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false)) counts[reader.GetString(0)] = reader.GetInt32(1);
        return (IReadOnlyDictionary<string, int>)counts;
    }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection, null,
                $"SELECT {RunColumns} FROM process_chain_runs WHERE chain_id = $id ORDER BY run_number", ("$id", processChainId));
            var runs = new List<ProcessChainRun>();
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false)) runs.Add(ReadRun(reader));
            return (IReadOnlyList<ProcessChainRun>)runs;
        }, ct);

    /// <inheritdoc />
    public Task<ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection, null,
                $"SELECT {RunColumns} FROM process_chain_runs WHERE chain_id = $id AND run_number = $n", ("$id", processChainId), ("$n", runNumber));
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await reader.ReadAsync(token).ConfigureAwait(false) ? ReadRun(reader) : null;
        }, ct);

    private const string RunColumns = "run_number, agent_id, start_time, end_time, status, error_message";

    private static ProcessChainRun ReadRun(SqliteDataReader r) =>
        new(r.GetInt32(0), StringOrNull(r, 1), Time(r, 2), Time(r, 3), r.GetString(4), StringOrNull(r, 5));

    private static object?[] UpdateValues(ProcessChainUpdate u) =>
    [
        u.Id, u.Status, Time(u.StartTime), Time(u.EndTime), Json(u.Results), u.ErrorMessage, u.AgentId, u.RunNumber, u.Reset, u.InRun,
    ];

    private static string Where(string? submissionId, string? status)
    {
        var sql = new StringBuilder();
        if (submissionId is not null) sql.Append("WHERE submission_id = $submission_id");
        if (status is not null) sql.Append(sql.Length == 0 ? "WHERE " : " AND ").Append("status = $status");
        return sql.ToString();
    }

    private static async Task<IReadOnlyList<StoredProcessChain>> QueryChainsAsync(SqliteConnection connection, SqliteTransaction? tx,
        string sql, CancellationToken ct, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, tx, sql, parameters);
        var chains = new List<StoredProcessChain>();
        await using var reader = await command.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await reader.ReadAsync(ct).ConfigureAwait(false)) chains.Add(ReadChain(reader));
        return chains;
    }

    private static StoredProcessChain ReadChain(SqliteDataReader r) => new(
        new ProcessChain
        {
            Id = r.GetString(1),
            SubmissionId = r.GetString(2),
            Status = r.GetString(3),
            Priority = r.IsDBNull(4) ? null : r.GetInt32(4),
            RequiredCapabilities = FromJson<IReadOnlyList<string>>(r, 5),
            Executables = FromJson<IReadOnlyList<Executable>>(r, 6),
            StartTime = Time(r, 7),
            EndTime = Time(r, 8),
            Results = FromJsonOrNull<IReadOnlyDictionary<string, IReadOnlyList<string>>>(r, 9),
            ErrorMessage = StringOrNull(r, 10),
        },
        StringOrNull(r, 11),
        r.GetInt32(12),
        r.GetInt64(0));
}
