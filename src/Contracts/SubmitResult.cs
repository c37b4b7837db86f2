namespace Steep.Contracts;

/// <summary>The answer to a submission: the new submission's id, or every problem of the workflow (nothing was stored).</summary>
/// <param name="SubmissionId">The id of the accepted submission; null when the workflow was rejected.</param>
/// <param name="Problems">Why the workflow was rejected, one line each (<c>field: problem; what to do</c>); empty when accepted.</param>
[GenerateSerializer, Immutable, Alias("steep.SubmitResult")]
public sealed record SubmitResult(
    [property: Id(0)] string? SubmissionId,
    [property: Id(1)] IReadOnlyList<string> Problems)
{
    /// <summary>True when the workflow was accepted.</summary>
    public bool Accepted => SubmissionId is not null;
}
