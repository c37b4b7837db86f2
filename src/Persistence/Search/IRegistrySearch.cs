namespace Steep.Persistence.Search;

/// <summary>Searches submissions and process chains (Steep 6's <c>/search</c>); every store implements it with indexes of its own.</summary>
public interface IRegistrySearch
{
    /// <summary>
    /// The items matching <paramref name="query"/> (see <see cref="SearchQuery"/>): submissions first, then chains,
    /// newest first within each, from <paramref name="offset"/>, at most <paramref name="size"/>; with the number of
    /// matches per type as <paramref name="count"/> asks.
    /// </summary>
    Task<SearchResults> SearchAsync(SearchQuery query, int offset, int size, SearchCount count, CancellationToken ct);
}
