namespace Steep.Persistence.Search;

/// <summary>A search query that cannot be parsed; the message names the part and what is allowed.</summary>
public sealed class SearchQueryException(string message) : Exception(message);
