namespace Steep.Persistence;

/// <summary>Changes to a submission; null fields are left as they are.</summary>
public sealed record SubmissionUpdate(string Id)
{
    /// <summary>New status.</summary>
    public string? Status { get; init; }
    /// <summary>Start time.</summary>
    public DateTimeOffset? StartTime { get; init; }
    /// <summary>End time.</summary>
    public DateTimeOffset? EndTime { get; init; }
    /// <summary>Workflow results.</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>>? Results { get; init; }
    /// <summary>Error message.</summary>
    public string? ErrorMessage { get; init; }
}
