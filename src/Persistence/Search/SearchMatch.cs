namespace Steep.Persistence.Search;

/// <summary>An attribute in which terms were found (Steep's match object): its name, its text, and the terms' positions.</summary>
/// <param name="Locator">The attribute (see <see cref="SearchAttributes"/>).</param>
/// <param name="Fragment">The attribute's text (a list attribute: the element matched).</param>
/// <param name="TermMatches">The terms found and where.</param>
public sealed record SearchMatch(string Locator, string Fragment, IReadOnlyList<SearchTermMatch> TermMatches);
