namespace Steep.Persistence.Search;

/// <summary>
/// The meaning of a query for one item, in code: the in-memory store searches with it, the SQL stores must agree with
/// it (the contract tests hold them to it), and the API shows with it where the terms were found.
/// </summary>
public static class SearchMatcher
{
    /// <summary>Whether <paramref name="hit"/> matches <paramref name="query"/> (see <see cref="SearchQuery"/>).</summary>
    public static bool IsMatch(SearchQuery query, SearchHit hit)
    {
        if (query.IsEmpty || !query.Includes(hit.Type)) return false;
        foreach (var f in query.Filters)
        {
            if (!TermMatches(f.Term, f.Attribute, hit)) return false;
        }
        return query.Terms.Count == 0 || query.Terms.Any(t => query.AttributesOf(t).Any(a => TermMatches(t, a, hit)));
    }

    /// <summary>Whether <paramref name="term"/> matches in <paramref name="attribute"/> of the item.</summary>
    public static bool TermMatches(SearchTerm term, string attribute, SearchHit hit)
    {
        if (term.IsTime)
        {
            var time = attribute switch
            {
                SearchAttributes.StartTime => hit.StartTime,
                SearchAttributes.EndTime => hit.EndTime,
                _ => null,
            };
            return time is { } t && (term.From is null || t >= term.From) && (term.To is null || t < term.To);
        }
        if (attribute == SearchAttributes.Status) return string.Equals(hit.Status, term.Text, StringComparison.OrdinalIgnoreCase);
        return Values(attribute, hit).Any(v => v.Contains(term.Text!, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>Where the terms and filters were found: per attribute, its text and each term's positions in it.</summary>
    public static IReadOnlyList<SearchMatch> Matches(SearchQuery query, SearchHit hit)
    {
        var byAttribute = new Dictionary<string, List<SearchTermMatch>>(StringComparer.Ordinal);
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        void Add(SearchTerm term, string attribute)
        {
            if (term.IsTime || !TermMatches(term, attribute, hit)) return;
            // the matched value: for a list (capabilities), the first element containing the term
            var value = attribute == SearchAttributes.Status
                ? hit.Status
                : Values(attribute, hit).First(v => v.Contains(term.Text!, StringComparison.OrdinalIgnoreCase));
            var indices = new List<int>();
            for (int i = value.IndexOf(term.Text!, StringComparison.OrdinalIgnoreCase); i >= 0;
                 i = value.IndexOf(term.Text!, i + Math.Max(1, term.Text!.Length), StringComparison.OrdinalIgnoreCase))
                indices.Add(i);
            texts.TryAdd(attribute, value);
            if (texts[attribute] != value) return; // one fragment per attribute, as Steep shows it
            if (!byAttribute.TryGetValue(attribute, out var list)) byAttribute[attribute] = list = [];
            if (!list.Any(m => m.Term == term.Text)) list.Add(new SearchTermMatch(term.Text!, indices));
        }
        foreach (var f in query.Filters) Add(f.Term, f.Attribute);
        foreach (var t in query.Terms)
        {
            foreach (var a in query.AttributesOf(t)) Add(t, a);
        }
        return byAttribute.Select(kv => Window(kv.Key, texts[kv.Key], kv.Value)).ToList();
    }

    /// <summary>A long text (a workflow source) shown as the part around the first match, as Steep shows it ("… part …").</summary>
    private static SearchMatch Window(string locator, string text, List<SearchTermMatch> terms)
    {
        const int Before = 30, Length = 120;
        if (text.Length <= Length) return new SearchMatch(locator, text, terms);
        int first = terms.SelectMany(t => t.Indices).DefaultIfEmpty(0).Min();
        int start = Math.Max(0, Math.Min(first - Before, text.Length - Length));
        int end = Math.Min(text.Length, start + Length);
        var prefix = start > 0 ? "..." : "";
        var fragment = prefix + text[start..end] + (end < text.Length ? "..." : "");
        var shifted = terms.Select(t => t with
        {
            Indices = t.Indices.Where(i => i >= start && i + t.Term.Length <= end).Select(i => i - start + prefix.Length).ToList(),
        }).ToList();
        return new SearchMatch(locator, fragment, shifted);
    }

    private static IEnumerable<string> Values(string attribute, SearchHit hit) => attribute switch
    {
        SearchAttributes.Id => [hit.Id],
        SearchAttributes.Name => hit.Name is null ? [] : [hit.Name],
        SearchAttributes.ErrorMessage => hit.ErrorMessage is null ? [] : [hit.ErrorMessage],
        SearchAttributes.RequiredCapabilities => hit.RequiredCapabilities,
        SearchAttributes.Source => hit.Source is null ? [] : [hit.Source],
        _ => [],
    };
}
