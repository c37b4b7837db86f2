namespace Steep.Persistence.Search;

/// <summary>
/// One term of a search query: a text that should appear in an attribute (case-insensitive), or a time span
/// [<see cref="From"/>, <see cref="To"/>) a start or end time should lie in (either bound may be open).
/// </summary>
/// <param name="Text">The text, for a text term.</param>
/// <param name="From">The first instant included, for a time term (null: open).</param>
/// <param name="To">The first instant excluded, for a time term (null: open).</param>
public sealed record SearchTerm(string? Text, DateTimeOffset? From = null, DateTimeOffset? To = null)
{
    /// <summary>True for a time term (date, date/time, or time range).</summary>
    public bool IsTime => Text is null;
}
