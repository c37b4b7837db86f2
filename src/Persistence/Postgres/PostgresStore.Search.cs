using System.Globalization;
using Npgsql;
using Steep.Persistence.Search;
using static Steep.Persistence.Postgres.PostgresValues;

namespace Steep.Persistence.Postgres;

// IRegistrySearch: Steep 6's search. Submissions are few and scanned; chains are found through trigram indexes on id,
// error message and capabilities (ILIKE), their status and times through btree indexes.
public sealed partial class PostgresStore : IRegistrySearch
{
    // below this many estimated matches, the page is taken from all matches (bitmap scans of the indexes), not by
    // walking the chains newest first until the page is full
    private const long SparseMatches = 5_000;

    /// <inheritdoc />
    public Task<SearchResults> SearchAsync(SearchQuery query, int offset, int size, SearchCount counting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        bool count = counting != SearchCount.None;
        if (query.IsEmpty) return Task.FromResult(new SearchResults([], count ? 0 : null, count ? 0 : null));
        return ReadAsync(async (connection, token) =>
        {
            // one snapshot for the page and the counts
            await using var tx = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, token).ConfigureAwait(false);
            var items = new List<SearchHit>();
            long? workflows = null, chains = null;
            if (query.Includes(SearchTypes.Workflow))
            {
                var sql = new SqlParameters();
                var where = Predicate(query, sql, SubmissionTerm);
                bool source = query.Filters.Any(f => f.Attribute == SearchAttributes.Source)
                    || query.Terms.Any(t => query.AttributesOf(t).Contains(SearchAttributes.Source));
                var from = $"FROM submissions s WHERE {where}";
                await using (var command = sql.Command(connection, tx, $"""
                    SELECT s.id, s.name, s.status, s.required_capabilities, s.start_time, s.end_time, s.error_message, {(source ? "s.source" : "NULL")}
                    {from} ORDER BY s.seq DESC LIMIT {(long)offset + size}
                    """))
                await using (var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        items.Add(new SearchHit(SearchTypes.Workflow, reader.GetString(0), StringOrNull(reader, 1), reader.GetString(2),
                            reader.GetFieldValue<string[]>(3), Time(reader, 4), Time(reader, 5), StringOrNull(reader, 6), StringOrNull(reader, 7)));
                    }
                }
                if (count)
                {
                    await using var counter = sql.Command(connection, tx, $"SELECT count(*) {from}");
                    workflows = (long)(await counter.ExecuteScalarAsync(token).ConfigureAwait(false))!;
                }
            }
            int skippedWorkflows = Math.Min(offset, items.Count);
            items.RemoveRange(0, skippedWorkflows);
            if (items.Count > size) items.RemoveRange(size, items.Count - size);
            if (query.Includes(SearchTypes.ProcessChain))
            {
                var sql = new SqlParameters();
                var where = Predicate(query, sql, ChainTerm);
                int chainSize = size - items.Count;
                // The planner's estimate (what count=estimate returns, as Steep does) also picks the plan: a few matches
                // are collected through the trigram indexes and sorted; many are met soon enough walking newest first.
                long estimate;
                await using (var explain = sql.Command(connection, tx, $"EXPLAIN (FORMAT JSON) SELECT 1 FROM process_chains c WHERE {where}"))
                {
                    var plan = System.Text.Json.JsonDocument.Parse((string)(await explain.ExecuteScalarAsync(token).ConfigureAwait(false))!);
                    estimate = (long)plan.RootElement[0].GetProperty("Plan").GetProperty("Plan Rows").GetDouble();
                }
                if (chainSize > 0)
                {
                    int chainOffset = offset - skippedWorkflows;
                    const string Columns = "c.id, c.status, c.required_capabilities, c.start_time, c.end_time, c.error_message";
                    await using var command = sql.Command(connection, tx, estimate < SparseMatches
                        ? $"""
                          WITH m AS MATERIALIZED (SELECT c.seq FROM process_chains c WHERE {where})
                          SELECT {Columns} FROM process_chains c
                          WHERE c.seq IN (SELECT seq FROM m ORDER BY seq DESC LIMIT {chainSize} OFFSET {chainOffset}) ORDER BY c.seq DESC
                          """
                        : $"SELECT {Columns} FROM process_chains c WHERE {where} ORDER BY c.seq DESC LIMIT {chainSize} OFFSET {chainOffset}");
                    await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        items.Add(new SearchHit(SearchTypes.ProcessChain, reader.GetString(0), null, reader.GetString(1),
                            reader.GetFieldValue<string[]>(2), Time(reader, 3), Time(reader, 4), StringOrNull(reader, 5), null));
                    }
                }
                if (counting == SearchCount.Estimate)
                {
                    chains = estimate;
                }
                else if (count)
                {
                    await using var counter = sql.Command(connection, tx, $"SELECT count(*) FROM process_chains c WHERE {where}");
                    chains = (long)(await counter.ExecuteScalarAsync(token).ConfigureAwait(false))!;
                }
            }
            if (count)
            {
                workflows ??= 0;
                chains ??= 0;
            }
            await tx.CommitAsync(token).ConfigureAwait(false);
            return new SearchResults(items, workflows, chains);
        }, ct);
    }

    private static string SubmissionTerm(SqlParameters sql, SearchTerm term, string attribute) => term.IsTime
        ? attribute switch
        {
            SearchAttributes.StartTime => TimeRange(sql, "s.start_time", term),
            SearchAttributes.EndTime => TimeRange(sql, "s.end_time", term),
            _ => "false",
        }
        : attribute switch
        {
            SearchAttributes.Id => $"s.id ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.Name => $"s.name ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.ErrorMessage => $"s.error_message ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.Source => $"s.source ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.RequiredCapabilities => $"EXISTS (SELECT 1 FROM unnest(s.required_capabilities) v WHERE v ILIKE {sql.Like(term.Text!)})",
            SearchAttributes.Status => $"s.status = {sql.Add(term.Text!.ToUpperInvariant())}",
            _ => "false",
        };

    // The expressions of the trigram indexes, so that the planner can use them.
    private static string ChainTerm(SqlParameters sql, SearchTerm term, string attribute) => term.IsTime
        ? attribute switch
        {
            SearchAttributes.StartTime => TimeRange(sql, "c.start_time", term),
            SearchAttributes.EndTime => TimeRange(sql, "c.end_time", term),
            _ => "false",
        }
        : attribute switch
        {
            SearchAttributes.Id => $"c.id ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.ErrorMessage => $"c.error_message ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.RequiredCapabilities => $"capability_text(c.required_capabilities) ILIKE {sql.Like(term.Text!)}",
            SearchAttributes.Status => $"c.status = {sql.Add(term.Text!.ToUpperInvariant())}",
            _ => "false", // chains have no name or source
        };

    private static string TimeRange(SqlParameters sql, string column, SearchTerm term)
    {
        var parts = new List<string> { $"{column} IS NOT NULL" };
        if (term.From is { } from) parts.Add($"{column} >= {sql.Add(from)}");
        if (term.To is { } to) parts.Add($"{column} < {sql.Add(to)}");
        return "(" + string.Join(" AND ", parts) + ")";
    }

    private static string Predicate(SearchQuery query, SqlParameters sql, Func<SqlParameters, SearchTerm, string, string> term)
    {
        var where = new List<string>();
        if (query.Terms.Count > 0)
        {
            var any = query.Terms.SelectMany(t => query.AttributesOf(t).Select(a => term(sql, t, a))).ToList();
            where.Add("(" + (any.Count == 0 ? "false" : string.Join(" OR ", any)) + ")");
        }
        foreach (var f in query.Filters) where.Add(term(sql, f.Term, f.Attribute));
        return where.Count == 0 ? "true" : string.Join(" AND ", where);
    }

    /// <summary>Positional parameters of one predicate, copied into every command that uses it.</summary>
    private sealed class SqlParameters
    {
        private readonly List<NpgsqlParameter> _parameters = [];

        public string Add(object value)
        {
            _parameters.Add(value switch
            {
                string text => Text(text),
                DateTimeOffset time => Time(time),
                _ => throw new ArgumentException($"No parameter type for {value.GetType().Name}", nameof(value)),
            });
            return "$" + _parameters.Count.ToString(CultureInfo.InvariantCulture);
        }

        // ILIKE's escape character is the backslash by default
        public string Like(string text) =>
            Add("%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%");

        public NpgsqlCommand Command(NpgsqlConnection connection, NpgsqlTransaction tx, string text)
        {
            var command = new NpgsqlCommand(text, connection, tx);
            foreach (var p in _parameters) command.Parameters.Add(p.Clone());
            return command;
        }
    }
}
