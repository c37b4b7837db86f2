namespace Steep.Persistence.Search;

/// <summary>
/// A parsed search query (Steep 6's query language). An item matches when it has one of <see cref="Types"/> (any when
/// empty), every filter holds, and, if there are terms, at least one term matches in one of the searched attributes
/// (<see cref="Locators"/>, or all attributes of the term's kind when empty). A query with neither terms, filters nor
/// types matches nothing.
/// </summary>
/// <param name="Terms">Text and time terms (any may match).</param>
/// <param name="Locators">Attributes named by <c>in:</c> (see <see cref="SearchAttributes"/>).</param>
/// <param name="Types">Item types named by <c>is:</c> (see <see cref="SearchTypes"/>).</param>
/// <param name="Filters">Filters (all must hold).</param>
public sealed record SearchQuery(IReadOnlyList<SearchTerm> Terms, IReadOnlyList<string> Locators, IReadOnlyList<string> Types,
    IReadOnlyList<SearchFilter> Filters)
{
    /// <summary>True when the query can match nothing (no terms, filters or types).</summary>
    public bool IsEmpty => Terms.Count == 0 && Filters.Count == 0 && Types.Count == 0;

    /// <summary>Whether items of <paramref name="type"/> can match.</summary>
    public bool Includes(string type) => Types.Count == 0 || Types.Contains(type);

    /// <summary>
    /// The attributes <paramref name="term"/> is compared with (the status only for a term that names a status: no
    /// other text can equal one).
    /// </summary>
    public IEnumerable<string> AttributesOf(SearchTerm term)
    {
        var own = term.IsTime ? SearchAttributes.Times : SearchAttributes.Text;
        var searched = Locators.Count == 0 ? own : own.Where(Locators.Contains);
        return term.IsTime || SearchAttributes.IsStatus(term.Text!) ? searched : searched.Where(a => a != SearchAttributes.Status);
    }
}
