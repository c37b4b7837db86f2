namespace Steep.Persistence.Search;

/// <summary>One page of search results (submissions first, then chains, newest first within each) and the counts per type.</summary>
/// <param name="Items">The page.</param>
/// <param name="Workflows">How many submissions match (null when not counted).</param>
/// <param name="ProcessChains">How many chains match (null when not counted).</param>
public sealed record SearchResults(IReadOnlyList<SearchHit> Items, long? Workflows, long? ProcessChains);
