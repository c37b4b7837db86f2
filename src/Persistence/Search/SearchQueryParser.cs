using System.Globalization;
using System.Text;

namespace Steep.Persistence.Search;

/// <summary>
/// Parses Steep's search query language: terms (quoted with "…" or '…' for exact text with spaces, \ escapes),
/// dates <c>yyyy-MM-dd</c>, date/times <c>yyyy-MM-ddTHH:mm[:ss]</c> with <c>&lt; &lt;= &gt; &gt;=</c>, ranges
/// <c>A..B</c> (inclusive), locators <c>in:attribute</c>, types <c>is:workflow</c>/<c>is:processchain</c> and filters
/// <c>attribute:term</c>. Dates are read in the given time zone.
/// </summary>
public static class SearchQueryParser
{
    private const int MaxLength = 1000;
    private static readonly string[] DateFormats = ["yyyy-MM-dd"];
    private static readonly string[] MinuteFormats = ["yyyy-MM-dd'T'HH:mm"];
    private static readonly string[] SecondFormats = ["yyyy-MM-dd'T'HH:mm:ss"];

    /// <summary>Parses <paramref name="query"/>.</summary>
    /// <exception cref="SearchQueryException">a part cannot be understood; the message names it.</exception>
    public static SearchQuery Parse(string query, TimeZoneInfo timeZone)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(timeZone);
        if (query.Length > MaxLength)
            throw new SearchQueryException($"The query is {query.Length} characters long; at most {MaxLength} are allowed");
        var terms = new List<SearchTerm>();
        var locators = new List<string>();
        var types = new List<string>();
        var filters = new List<SearchFilter>();
        foreach (var (token, quoted) in Tokenize(query))
        {
            if (quoted.Length > 0 && token.Length == 0)
            {
                terms.Add(new SearchTerm(quoted));
                continue;
            }
            int colon = token.IndexOf(':', StringComparison.Ordinal);
            if (colon > 0)
            {
                var key = token[..colon];
                var value = token[(colon + 1)..] + quoted;
                if (key.Equals("in", StringComparison.OrdinalIgnoreCase))
                {
                    locators.Add(SearchAttributes.Resolve(value)
                        ?? throw new SearchQueryException($"Unknown attribute in 'in:{value}': use one of {SearchAttributes.AllAliases}"));
                    continue;
                }
                if (key.Equals("is", StringComparison.OrdinalIgnoreCase))
                {
                    types.Add(value.ToLowerInvariant() switch
                    {
                        "workflow" => SearchTypes.Workflow,
                        "processchain" => SearchTypes.ProcessChain,
                        _ => throw new SearchQueryException($"Unknown type in 'is:{value}': use is:workflow or is:processchain"),
                    });
                    continue;
                }
                if (SearchAttributes.Resolve(key) is { } attribute)
                {
                    if (value.Length == 0) throw new SearchQueryException($"Filter '{token}' has no term after the colon (e.g. {key}:value)");
                    bool time = attribute is SearchAttributes.StartTime or SearchAttributes.EndTime;
                    var term = time
                        ? ParseTime(value, timeZone) ?? throw new SearchQueryException(
                            $"Filter '{key}:{value}' needs a date (yyyy-MM-dd), a date/time (yyyy-MM-ddTHH:mm[:ss]), either with <, <=, > or >=, or a range A..B")
                        : new SearchTerm(value);
                    filters.Add(new SearchFilter(attribute, term));
                    continue;
                }
            }
            var text = token + quoted;
            terms.Add(quoted.Length == 0 && ParseTime(text, timeZone) is { } t ? t : new SearchTerm(text));
        }
        return new SearchQuery(terms.Distinct().ToList(), locators.Distinct().ToList(), types.Distinct().ToList(), filters);
    }

    /// <summary>Tokens separated by white space; a quoted part (with \ escapes) ends its token and is returned apart.</summary>
    private static IEnumerable<(string Token, string Quoted)> Tokenize(string query)
    {
        int i = 0;
        while (i < query.Length)
        {
            while (i < query.Length && char.IsWhiteSpace(query[i])) i++;
            if (i >= query.Length) yield break;
            var token = new StringBuilder();
            string? quoted = null;
            while (i < query.Length && !char.IsWhiteSpace(query[i]))
            {
                char c = query[i];
                if (c is '"' or '\'')
                {
                    var q = new StringBuilder();
                    i++;
                    while (i < query.Length && query[i] != c)
                    {
                        if (query[i] == '\\' && i + 1 < query.Length) i++;
                        q.Append(query[i++]);
                    }
                    if (i >= query.Length) throw new SearchQueryException($"The quotation mark {c} opened at '{c}{q}' is not closed");
                    i++; // the closing quote
                    quoted = q.ToString();
                    break;
                }
                token.Append(c);
                i++;
            }
            if (quoted is not null && quoted.Length == 0 && token.Length == 0) continue; // "" searches nothing
            yield return (token.ToString(), quoted ?? "");
        }
    }

    /// <summary>A date, date/time, comparison or range as a time term; null if <paramref name="text"/> is none of these.</summary>
    private static SearchTerm? ParseTime(string text, TimeZoneInfo zone)
    {
        int range = text.IndexOf("..", StringComparison.Ordinal);
        if (range > 0)
        {
            return Span(text[..range], zone) is { } a && Span(text[(range + 2)..], zone) is { } b
                ? new SearchTerm(null, a.Start, b.End)
                : null;
        }
        string op = text.StartsWith(">=", StringComparison.Ordinal) || text.StartsWith("<=", StringComparison.Ordinal) ? text[..2]
            : text.StartsWith('>') || text.StartsWith('<') ? text[..1] : "";
        if (Span(text[op.Length..], zone) is not { } s) return null;
        return op switch
        {
            "<" => new SearchTerm(null, null, s.Start),
            "<=" => new SearchTerm(null, null, s.End),
            ">" => new SearchTerm(null, s.End, null),
            ">=" => new SearchTerm(null, s.Start, null),
            _ => new SearchTerm(null, s.Start, s.End),
        };
    }

    /// <summary>The instants a date (a day), date/time with minutes (a minute) or seconds (a second) stands for.</summary>
    private static (DateTimeOffset Start, DateTimeOffset End)? Span(string text, TimeZoneInfo zone)
    {
        var style = DateTimeStyles.None;
        var culture = CultureInfo.InvariantCulture;
        TimeSpan length;
        DateTime local;
        if (DateTime.TryParseExact(text, DateFormats, culture, style, out local)) length = TimeSpan.FromDays(1);
        else if (DateTime.TryParseExact(text, MinuteFormats, culture, style, out local)) length = TimeSpan.FromMinutes(1);
        else if (DateTime.TryParseExact(text, SecondFormats, culture, style, out local)) length = TimeSpan.FromSeconds(1);
        else return null;
        var start = new DateTimeOffset(local, zone.GetUtcOffset(local));
        var endLocal = local + length;
        return (start.ToUniversalTime(), new DateTimeOffset(endLocal, zone.GetUtcOffset(endLocal)).ToUniversalTime());
    }
}
