namespace Steep.Persistence.Search;

/// <summary>One term found in an attribute, and the character positions where it starts.</summary>
/// <param name="Term">The term.</param>
/// <param name="Indices">Start positions in the fragment.</param>
public sealed record SearchTermMatch(string Term, IReadOnlyList<int> Indices);
