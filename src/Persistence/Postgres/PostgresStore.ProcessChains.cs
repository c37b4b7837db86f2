using System.Text;
using Npgsql;
using Steep.Core.Models;
using static Steep.Persistence.Postgres.PostgresValues;

namespace Steep.Persistence.Postgres;

// IProcessChainStore: process chains and their run-time state.
public sealed partial class PostgresStore
{
    private const string ChainColumns =
        "seq, id, submission_id, status, priority, required_capabilities, executables, start_time, end_time, results, error_message, agent_id, run_number";

    /// <inheritdoc />
    Task<StoredProcessChain?> IProcessChainStore.GetAsync(string id, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = Command(connection, $"SELECT {ChainColumns} FROM process_chains WHERE id = $1", Text(id));
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        return await reader.ReadAsync(token).ConfigureAwait(false) ? ReadChain(reader) : null;
    }, ct);

    /// <inheritdoc />
    public Task<Page<StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        var (where, parameters) = Where(submissionId, status, firstParameter: 3);
        return ReadAsync(async (connection, token) =>
        {
            // The total from the maintained counts, not from counting chains; with the page in one statement (one
            // snapshot, one round trip), on every row, and alone when the page is empty.
            await using var command = Command(connection, $"""
                WITH total AS (SELECT COALESCE(SUM(n), 0)::bigint AS n FROM process_chain_counts {where})
                SELECT total.n, p.* FROM total LEFT JOIN LATERAL (
                    SELECT {ChainColumns} FROM process_chains {where}
                    ORDER BY seq {(newestFirst ? "DESC" : "ASC")} LIMIT $1 OFFSET $2
                ) p ON true
                """, [Integer(size), Integer(offset), .. parameters]);
            var items = new List<StoredProcessChain>();
            int total = 0;
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false))
            {
                total = (int)reader.GetInt64(0);
                if (!reader.IsDBNull(1)) items.Add(ReadChain(reader, 1));
            }
            return new Page<StoredProcessChain>(items, total);
        }, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct)
    {
        var (where, parameters) = Where(submissionId, status, firstParameter: 1);
        return QueryChainsAsync($"SELECT {ChainColumns} FROM process_chains {where} ORDER BY seq", parameters, ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<ChainGraphRow>> ListGraphAsync(string submissionId, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection, """
                SELECT id, status, agent_id, start_time, end_time, executables
                FROM process_chains WHERE submission_id = $1 ORDER BY seq
                """, Text(submissionId));
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
        QueryChainsAsync($"SELECT {ChainColumns} FROM process_chains WHERE status = $1 ORDER BY seq", [Text(status)], ct);

    /// <inheritdoc />
    public Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) =>
        WriteAsync(async (connection, token) =>
        {
            await using var command = Command(connection, "UPDATE process_chains SET priority = $2 WHERE id = $1",
                Text(processChainId), Integer(priority));
            return await command.ExecuteNonQueryAsync(token).ConfigureAwait(false) > 0;
        }, ct);

    /// <inheritdoc />
    public Task<bool> UpdateAsync(ProcessChainUpdate update, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(update);
        // the chain and its run change together, in a transaction shared with the updates that arrive meanwhile
        return EnqueueUpdate(update, ct);
    }

    /// <inheritdoc />
    public Task UpdateManyAsync(IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(updates);
        if (updates.Count == 0) return Task.CompletedTask;
        // all updates or none, in one transaction
        return WriteAsync((connection, token) => UpdateChainsAsync(connection, updates, token), ct);
    }

    /// <inheritdoc />
    public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct) => ReadAsync(async (connection, token) =>
    {
        await using var command = submissionId is null
            ? Command(connection, "SELECT status, SUM(n)::bigint FROM process_chain_counts GROUP BY status HAVING SUM(n) > 0")
            : Command(connection, "SELECT status, SUM(n)::bigint FROM process_chain_counts WHERE submission_id = $1 GROUP BY status HAVING SUM(n) > 0",
                Text(submissionId));
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
        while (await reader.ReadAsync(token).ConfigureAwait(false)) counts[reader.GetString(0)] = (int)reader.GetInt64(1);
        return (IReadOnlyDictionary<string, int>)counts;
    }, ct);

    /// <inheritdoc />
    public Task<IReadOnlyList<ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection,
                $"SELECT {RunColumns} FROM process_chain_runs WHERE chain_id = $1 ORDER BY run_number", Text(processChainId));
            var runs = new List<ProcessChainRun>();
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false)) runs.Add(ReadRun(reader));
            return (IReadOnlyList<ProcessChainRun>)runs;
        }, ct);

    /// <inheritdoc />
    public Task<ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection,
                $"SELECT {RunColumns} FROM process_chain_runs WHERE chain_id = $1 AND run_number = $2", Text(processChainId), Integer(runNumber));
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            return await reader.ReadAsync(token).ConfigureAwait(false) ? ReadRun(reader) : null;
        }, ct);

    private const string RunColumns = "run_number, agent_id, start_time, end_time, status, error_message";

    private static ProcessChainRun ReadRun(NpgsqlDataReader r) =>
        new(r.GetInt32(0), StringOrNull(r, 1), Time(r, 2), Time(r, 3), r.GetString(4), StringOrNull(r, 5));

    private static (string Where, NpgsqlParameter[] Parameters) Where(string? submissionId, string? status, int firstParameter)
    {
        var sql = new StringBuilder();
        var parameters = new List<NpgsqlParameter>(2);
        if (submissionId is not null)
        {
            sql.Append("WHERE submission_id = $").Append(firstParameter + parameters.Count);
            parameters.Add(Text(submissionId));
        }
        if (status is not null)
        {
            sql.Append(sql.Length == 0 ? "WHERE " : " AND ").Append("status = $").Append(firstParameter + parameters.Count);
            parameters.Add(Text(status));
        }
        return (sql.ToString(), parameters.ToArray());
    }

    private Task<IReadOnlyList<StoredProcessChain>> QueryChainsAsync(string sql, NpgsqlParameter[] parameters, CancellationToken ct) =>
        ReadAsync(async (connection, token) =>
        {
            await using var command = Command(connection, sql, parameters);
            var chains = new List<StoredProcessChain>();
            await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
            while (await reader.ReadAsync(token).ConfigureAwait(false)) chains.Add(ReadChain(reader));
            return (IReadOnlyList<StoredProcessChain>)chains;
        }, ct);

    private static StoredProcessChain ReadChain(NpgsqlDataReader r, int first = 0) => new(
        new ProcessChain
        {
            Id = r.GetString(first + 1),
            SubmissionId = r.GetString(first + 2),
            Status = r.GetString(first + 3),
            Priority = r.IsDBNull(first + 4) ? null : r.GetInt32(first + 4),
            RequiredCapabilities = r.GetFieldValue<string[]>(first + 5),
            Executables = FromJson<IReadOnlyList<Executable>>(r, first + 6),
            StartTime = Time(r, first + 7),
            EndTime = Time(r, first + 8),
            Results = FromJsonOrNull<IReadOnlyDictionary<string, IReadOnlyList<string>>>(r, first + 9),
            ErrorMessage = StringOrNull(r, first + 10),
        },
        StringOrNull(r, first + 11),
        r.GetInt32(first + 12),
        r.GetInt64(first));
}
