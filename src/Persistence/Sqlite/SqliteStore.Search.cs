using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Steep.Persistence.Search;
using static Steep.Persistence.Sqlite.SqliteValues;

namespace Steep.Persistence.Sqlite;

// IRegistrySearch: Steep 6's search. Submissions are few and scanned; chains are found through the trigram index
// process_chain_search (id, capabilities, error message), their status through its index, times through theirs.
public sealed partial class SqliteStore : IRegistrySearch
{
    /// <inheritdoc />
    public Task<SearchResults> SearchAsync(SearchQuery query, int offset, int size, bool count, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        if (query.IsEmpty) return Task.FromResult(new SearchResults([], count ? 0 : null, count ? 0 : null));
        return ReadAsync(async (connection, token) =>
        {
            using var tx = connection.BeginTransaction(deferred: true); // one snapshot for page and counts
            var items = new List<SearchHit>();
            long? workflows = null, chains = null;
            if (query.Includes(SearchTypes.Workflow))
            {
                var sql = new SqlBuilder();
                var where = SubmissionPredicate(query, sql);
                bool source = NeedsSource(query);
                var from = $"FROM submissions s {(source ? "LEFT JOIN submission_sources src ON src.submission_id = s.id" : "")} WHERE {where}";
                await using (var command = sql.Command(connection, tx, $"""
                    SELECT s.id, s.name, s.status, s.required_capabilities, s.start_time, s.end_time, s.error_message, {(source ? "src.source" : "NULL")}
                    {from} ORDER BY s.seq DESC LIMIT {(long)offset + size}
                    """))
                await using (var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        items.Add(new SearchHit(SearchTypes.Workflow, reader.GetString(0), StringOrNull(reader, 1), reader.GetString(2),
                            FromJson<IReadOnlyList<string>>(reader, 3), Time(reader, 4), Time(reader, 5), StringOrNull(reader, 6), StringOrNull(reader, 7)));
                    }
                }
                if (count)
                {
                    await using var counting = sql.Command(connection, tx, $"SELECT count(*) FROM (SELECT 1 {from})");
                    workflows = Convert.ToInt64(await counting.ExecuteScalarAsync(token).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }
            }
            // the workflows before this page's start shift where the chains begin
            int skippedWorkflows = Math.Min(offset, items.Count);
            items.RemoveRange(0, skippedWorkflows);
            if (items.Count > size) items.RemoveRange(size, items.Count - size);
            if (query.Includes(SearchTypes.ProcessChain))
            {
                int chainOffset = offset - skippedWorkflows;
                int chainSize = size - items.Count;
                var sql = new SqlBuilder();
                var (where, onlyMatch) = ChainPredicate(query, sql);
                if (chainSize > 0)
                {
                    await using var command = sql.Command(connection, tx, $"""
                        SELECT c.id, c.status, c.required_capabilities, c.start_time, c.end_time, c.error_message
                        FROM process_chains c WHERE {where} ORDER BY c.seq DESC LIMIT {chainSize} OFFSET {chainOffset}
                        """);
                    await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        items.Add(new SearchHit(SearchTypes.ProcessChain, reader.GetString(0), null, reader.GetString(1),
                            FromJson<IReadOnlyList<string>>(reader, 2), Time(reader, 3), Time(reader, 4), StringOrNull(reader, 5), null));
                    }
                }
                if (count)
                {
                    // a pure text query is counted in the index alone, without a look at the chains
                    await using var counting = sql.Command(connection, tx, onlyMatch
                        ? "SELECT count(*) FROM process_chain_search WHERE process_chain_search MATCH $m0"
                        : $"SELECT count(*) FROM process_chains c WHERE {where}");
                    chains = Convert.ToInt64(await counting.ExecuteScalarAsync(token).ConfigureAwait(false), CultureInfo.InvariantCulture);
                }
            }
            else if (count)
            {
                chains = 0;
            }
            if (count && workflows is null) workflows = 0;
            return new SearchResults(items, workflows, chains);
        }, ct);
    }

    private static bool NeedsSource(SearchQuery query) =>
        query.Filters.Any(f => f.Attribute == SearchAttributes.Source)
        || query.Terms.Any(t => query.AttributesOf(t).Contains(SearchAttributes.Source));

    private static string SubmissionPredicate(SearchQuery query, SqlBuilder sql)
    {
        string Term(SearchTerm term, string attribute)
        {
            if (term.IsTime)
            {
                var column = attribute switch { SearchAttributes.StartTime => "s.start_time", SearchAttributes.EndTime => "s.end_time", _ => null };
                return column is null ? "0" : TimeRange(sql, column, term);
            }
            return attribute switch
            {
                SearchAttributes.Id => $"s.id LIKE {sql.Like(term.Text!)} ESCAPE '\\'",
                SearchAttributes.Name => $"s.name LIKE {sql.Like(term.Text!)} ESCAPE '\\'",
                SearchAttributes.ErrorMessage => $"s.error_message LIKE {sql.Like(term.Text!)} ESCAPE '\\'",
                SearchAttributes.Source => $"src.source LIKE {sql.Like(term.Text!)} ESCAPE '\\'",
                SearchAttributes.RequiredCapabilities =>
                    $"EXISTS (SELECT 1 FROM json_each(s.required_capabilities) WHERE value LIKE {sql.Like(term.Text!)} ESCAPE '\\')",
                SearchAttributes.Status => $"s.status = {sql.Add(term.Text!.ToUpperInvariant())}",
                _ => "0",
            };
        }
        return Combine(query, Term);
    }

    /// <summary>The chains' predicate; onlyMatch: it is one MATCH of the index (parameter $m0) and nothing else.</summary>
    private static (string Where, bool OnlyMatch) ChainPredicate(SearchQuery query, SqlBuilder sql)
    {
        // Text in the indexed attributes becomes one FTS5 expression for the terms (any) and one for the filters (all).
        var termMatches = new List<string>();
        var termOthers = new List<string>();
        foreach (var term in query.Terms)
        {
            foreach (var attribute in query.AttributesOf(term))
            {
                if (IndexColumn(attribute) is { } column && term.Text!.Length >= 3) termMatches.Add($"{column} : {Phrase(term.Text)}");
                else termOthers.Add(ChainTerm(sql, term, attribute));
            }
        }
        var filterMatches = new List<string>();
        var filterOthers = new List<string>();
        foreach (var filter in query.Filters)
        {
            if (IndexColumn(filter.Attribute) is { } column && filter.Term.Text is { Length: >= 3 } text) filterMatches.Add($"{column} : {Phrase(text)}");
            else filterOthers.Add(ChainTerm(sql, filter.Term, filter.Attribute));
        }
        var match = new List<string>();
        var where = new List<string>();
        if (query.Terms.Count > 0)
        {
            if (termOthers.Count == 0 && termMatches.Count > 0) match.Add("(" + string.Join(" OR ", termMatches) + ")");
            else if (termMatches.Count == 0) where.Add("(" + (termOthers.Count == 0 ? "0" : string.Join(" OR ", termOthers)) + ")");
            else where.Add($"(c.seq IN (SELECT rowid FROM process_chain_search WHERE process_chain_search MATCH {sql.Add(string.Join(" OR ", termMatches))}) OR {string.Join(" OR ", termOthers)})");
        }
        match.AddRange(filterMatches);
        where.AddRange(filterOthers);
        bool onlyMatch = match.Count > 0 && where.Count == 0;
        if (match.Count > 0)
        {
            // $m0 is the first parameter when the MATCH is alone (the count reads the index with it)
            var m = onlyMatch ? sql.AddFirst(string.Join(" AND ", match)) : sql.Add(string.Join(" AND ", match));
            where.Insert(0, $"c.seq IN (SELECT rowid FROM process_chain_search WHERE process_chain_search MATCH {m})");
        }
        return (where.Count == 0 ? "1" : string.Join(" AND ", where), onlyMatch);
    }

    private static string ChainTerm(SqlBuilder sql, SearchTerm term, string attribute)
    {
        if (term.IsTime)
        {
            var column = attribute switch { SearchAttributes.StartTime => "c.start_time", SearchAttributes.EndTime => "c.end_time", _ => null };
            return column is null ? "0" : TimeRange(sql, column, term);
        }
        return attribute switch
        {
            // terms too short for trigrams: the index's own text, scanned
            SearchAttributes.Id or SearchAttributes.RequiredCapabilities or SearchAttributes.ErrorMessage =>
                $"c.seq IN (SELECT rowid FROM process_chain_search WHERE {IndexColumn(attribute)} LIKE {sql.Like(term.Text!)} ESCAPE '\\')",
            SearchAttributes.Status => $"c.status = {sql.Add(term.Text!.ToUpperInvariant())}",
            _ => "0", // chains have no name or source
        };
    }

    private static string? IndexColumn(string attribute) => attribute switch
    {
        SearchAttributes.Id => "id",
        SearchAttributes.RequiredCapabilities => "required_capabilities",
        SearchAttributes.ErrorMessage => "error_message",
        _ => null,
    };

    private static string Phrase(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // Times are stored as UTC round-trip text (the grains write UTC), which sorts like the instants.
    private static string TimeRange(SqlBuilder sql, string column, SearchTerm term)
    {
        var parts = new List<string> { $"{column} IS NOT NULL" };
        if (term.From is { } from) parts.Add($"{column} >= {sql.Add(Time(from.ToUniversalTime()))}");
        if (term.To is { } to) parts.Add($"{column} < {sql.Add(Time(to.ToUniversalTime()))}");
        return "(" + string.Join(" AND ", parts) + ")";
    }

    private static string Combine(SearchQuery query, Func<SearchTerm, string, string> term)
    {
        var where = new List<string>();
        if (query.Terms.Count > 0)
        {
            var any = query.Terms.SelectMany(t => query.AttributesOf(t).Select(a => term(t, a))).ToList();
            where.Add("(" + (any.Count == 0 ? "0" : string.Join(" OR ", any)) + ")");
        }
        foreach (var f in query.Filters) where.Add(term(f.Term, f.Attribute));
        return where.Count == 0 ? "1" : string.Join(" AND ", where);
    }

    /// <summary>The parameters of one statement, named $m0, $p1, … in the order they are added.</summary>
    private sealed class SqlBuilder
    {
        private readonly List<(string Name, object Value)> _parameters = [];
        private object? _first;

        public string Add(object value)
        {
            var name = "$p" + (_parameters.Count + 1).ToString(CultureInfo.InvariantCulture);
            _parameters.Add((name, value));
            return name;
        }

        public string AddFirst(object value)
        {
            _first = value;
            return "$m0";
        }

        public string Like(string text) =>
            Add("%" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal)
                .Replace("_", "\\_", StringComparison.Ordinal) + "%");

        public SqliteCommand Command(SqliteConnection connection, SqliteTransaction tx, string text)
        {
            var command = connection.CreateCommand();
            command.Transaction = tx;
            command.CommandText = text;
            // unused parameters are ignored by the provider: the page and the count share them
            foreach (var (name, value) in _parameters) command.Parameters.AddWithValue(name, value);
            if (_first is not null) command.Parameters.AddWithValue("$m0", _first);
            return command;
        }
    }
}
