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
    public Task<SearchResults> SearchAsync(SearchQuery query, int offset, int size, SearchCount counting, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(size);
        bool count = counting != SearchCount.None;
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
                    await using var counter = sql.Command(connection, tx, $"SELECT count(*) FROM (SELECT 1 {from})");
                    workflows = Convert.ToInt64(await counter.ExecuteScalarAsync(token).ConfigureAwait(false), CultureInfo.InvariantCulture);
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
                var chainQuery = ChainPredicate(query, sql);
                // with text in the index, the index drives: newest first, each chain looked up, stopping after the page
                string from = chainQuery.Match is null
                    ? $"FROM process_chains c WHERE {chainQuery.Where}"
                    : $"FROM process_chain_search f JOIN process_chains c ON c.seq = f.rowid WHERE process_chain_search MATCH $m0" +
                      (chainQuery.Where.Length > 0 ? " AND " + chainQuery.Where : "");
                string order = chainQuery.Match is null ? "c.seq" : "f.rowid";
                if (chainSize > 0)
                {
                    await using var command = sql.Command(connection, tx, $"""
                        SELECT c.id, c.status, c.required_capabilities, c.start_time, c.end_time, c.error_message
                        {from} ORDER BY {order} DESC LIMIT {chainSize} OFFSET {chainOffset}
                        """);
                    await using var reader = await command.ExecuteReaderAsync(token).ConfigureAwait(false);
                    while (await reader.ReadAsync(token).ConfigureAwait(false))
                    {
                        items.Add(new SearchHit(SearchTypes.ProcessChain, reader.GetString(0), null, reader.GetString(1),
                            FromJson<IReadOnlyList<string>>(reader, 2), Time(reader, 3), Time(reader, 4), StringOrNull(reader, 5), null));
                    }
                }
                if (count && counting == SearchCount.Estimate && chainQuery.OnlyMatch)
                {
                    chains = await EstimateAsync(connection, tx, chainQuery, token).ConfigureAwait(false);
                }
                else if (count)
                {
                    // a pure text query is counted in the index alone, without a look at the chains
                    await using var command = sql.Command(connection, tx, chainQuery.OnlyMatch
                        ? "SELECT count(*) FROM process_chain_search WHERE process_chain_search MATCH $m0"
                        : $"SELECT count(*) {from}");
                    chains = Convert.ToInt64(await command.ExecuteScalarAsync(token).ConfigureAwait(false), CultureInfo.InvariantCulture);
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

    /// <summary>What the chains' part of a search needs: the predicate, and for a pure text query its phrases.</summary>
    /// <param name="Match">The FTS5 expression all matches must meet (parameter $m0), if any.</param>
    /// <param name="Where">The rest of the predicate over process_chains c (empty: none; "1" when there is no MATCH either).</param>
    /// <param name="OnlyMatch">The query is the MATCH and nothing else.</param>
    /// <param name="AnyOf">The phrases of the terms (any may match), when OnlyMatch.</param>
    /// <param name="AllOf">The phrases of the filters (all must match), when OnlyMatch.</param>
    private sealed record ChainQuery(string? Match, string Where, bool OnlyMatch, IReadOnlyList<string> AnyOf, IReadOnlyList<string> AllOf);

    private static ChainQuery ChainPredicate(SearchQuery query, SqlBuilder sql)
    {
        // Text in the indexed attributes becomes one FTS5 expression for the terms (any) and one for the filters (all).
        var termMatches = new List<string>();
        var termTexts = new List<string>();
        var termOthers = new List<string>();
        foreach (var term in query.Terms)
        {
            var shortColumns = new List<string>();
            foreach (var attribute in query.AttributesOf(term))
            {
                if (IndexColumn(attribute) is { } column)
                {
                    if (term.Text!.Length >= 3) termMatches.Add($"{column} : {Phrase(term.Text)}");
                    else shortColumns.Add(column);
                }
                else if (attribute is not (SearchAttributes.Name or SearchAttributes.Source)) // chains have neither
                {
                    termOthers.Add(ChainTerm(sql, term, attribute));
                }
            }
            if (term.Text is { Length: >= 3 } text && query.AttributesOf(term).Any(a => IndexColumn(a) is not null)) termTexts.Add(text);
            if (shortColumns.Count > 0)
            {
                // too short for trigrams: the index's own text, scanned once for all its columns
                var like = sql.Like(term.Text!);
                termOthers.Add($"c.seq IN (SELECT rowid FROM process_chain_search WHERE {string.Join(" OR ", shortColumns.Select(c => $"{c} LIKE {like} ESCAPE '\\'"))})");
            }
        }
        var filterMatches = new List<string>();
        var filterTexts = new List<string>();
        var filterOthers = new List<string>();
        foreach (var filter in query.Filters)
        {
            if (IndexColumn(filter.Attribute) is { } column && filter.Term.Text is { Length: >= 3 } text)
            {
                filterMatches.Add($"{column} : {Phrase(text)}");
                filterTexts.Add(text);
            }
            else
            {
                filterOthers.Add(ChainTerm(sql, filter.Term, filter.Attribute));
            }
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
        string? m = match.Count > 0 ? string.Join(" AND ", match) : null;
        if (m is not null) sql.AddFirst(m);
        return new ChainQuery(m, where.Count == 0 ? (m is null ? "1" : "") : string.Join(" AND ", where), onlyMatch,
            onlyMatch && query.Terms.Count > 0 ? termTexts : [], onlyMatch ? filterTexts : []);
    }

    /// <summary>
    /// An upper bound of the chains a pure text query matches, from the index's vocabulary: a phrase is in at most as
    /// many chains as its rarest trigram; any of the terms in at most the sum; all filters in at most the fewest.
    /// </summary>
    private static async Task<long> EstimateAsync(SqliteConnection connection, SqliteTransaction tx, ChainQuery query, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = "SELECT doc FROM process_chain_search_vocab WHERE term = $t";
        var parameter = command.Parameters.Add("$t", SqliteType.Text);
        async Task<long> PhraseAsync(string text)
        {
            var folded = text.ToLowerInvariant();
            long fewest = long.MaxValue;
            for (int i = 0; i + 3 <= folded.Length && fewest > 0; i++)
            {
                parameter.Value = folded.Substring(i, 3);
                fewest = Math.Min(fewest, await command.ExecuteScalarAsync(ct).ConfigureAwait(false) is long n ? n : 0);
            }
            return fewest;
        }
        long estimate = long.MaxValue;
        if (query.AnyOf.Count > 0)
        {
            long sum = 0;
            foreach (var t in query.AnyOf) sum += await PhraseAsync(t).ConfigureAwait(false);
            estimate = sum;
        }
        foreach (var f in query.AllOf) estimate = Math.Min(estimate, await PhraseAsync(f).ConfigureAwait(false));
        await using var total = connection.CreateCommand();
        total.Transaction = tx;
        total.CommandText = "SELECT COALESCE(SUM(n), 0) FROM process_chain_counts";
        return Math.Min(estimate, Convert.ToInt64(await total.ExecuteScalarAsync(ct).ConfigureAwait(false), CultureInfo.InvariantCulture));
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
