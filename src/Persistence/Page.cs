namespace Steep.Persistence;

/// <summary>One page of a listing and the total number of matching items.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);
