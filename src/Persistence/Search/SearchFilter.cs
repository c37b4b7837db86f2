namespace Steep.Persistence.Search;

/// <summary>A filter (<c>attribute:term</c>): the term must match in that attribute.</summary>
/// <param name="Attribute">One of <see cref="SearchAttributes"/>.</param>
/// <param name="Term">The term.</param>
public sealed record SearchFilter(string Attribute, SearchTerm Term);
