namespace Steep.Core.Validation;

/// <summary>A submitted workflow has problems; it was not stored.</summary>
public sealed class WorkflowRejectedException(IReadOnlyList<string> problems)
    : Exception("The workflow is invalid:\n" + string.Join("\n", problems))
{
    /// <summary>Every problem found, one per entry.</summary>
    public IReadOnlyList<string> Problems { get; } = problems;
}
