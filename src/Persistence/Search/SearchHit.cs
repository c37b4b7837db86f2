namespace Steep.Persistence.Search;

/// <summary>An item a search found, with the attributes searched and shown (Steep's search result, before matches).</summary>
/// <param name="Type">One of <see cref="SearchTypes"/>.</param>
/// <param name="Id">The submission's or chain's id.</param>
/// <param name="Name">A submission's name.</param>
/// <param name="Status">The status.</param>
/// <param name="RequiredCapabilities">The required capabilities.</param>
/// <param name="StartTime">The start time.</param>
/// <param name="EndTime">The end time.</param>
/// <param name="ErrorMessage">The error message.</param>
/// <param name="Source">A submission's workflow source (only when the query compares it).</param>
public sealed record SearchHit(string Type, string Id, string? Name, string Status, IReadOnlyList<string> RequiredCapabilities,
    DateTimeOffset? StartTime, DateTimeOffset? EndTime, string? ErrorMessage, string? Source);
