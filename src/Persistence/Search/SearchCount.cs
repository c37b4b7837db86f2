namespace Steep.Persistence.Search;

/// <summary>How a search counts its matches per type (Steep's <c>count</c> parameter).</summary>
public enum SearchCount
{
    /// <summary>No counts.</summary>
    None,
    /// <summary>A cheap estimate from the indexes where a store has one (an upper bound), else exact.</summary>
    Estimate,
    /// <summary>Exact counts.</summary>
    Exact,
}
