namespace Steep.Client.Models;

/// <summary>The values of <see cref="Submission.Status"/>, exactly as the API writes them.</summary>
public static class SubmissionStatus
{
    /// <summary>The submission has been accepted but its execution has not started yet.</summary>
    public const string Accepted = "ACCEPTED";

    /// <summary>The submission is being executed.</summary>
    public const string Running = "RUNNING";

    /// <summary>The submission was cancelled.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>The execution finished successfully.</summary>
    public const string Success = "SUCCESS";

    /// <summary>The execution finished, but one or more process chains failed.</summary>
    public const string PartialSuccess = "PARTIAL_SUCCESS";

    /// <summary>The execution failed.</summary>
    public const string Error = "ERROR";

    /// <summary>All statuses, in the order of the documentation.</summary>
    public static IReadOnlyList<string> All { get; } = [Accepted, Running, Cancelled, Success, PartialSuccess, Error];

    /// <summary>Whether a submission with this status will not change any more.</summary>
    /// <param name="status">A submission status; null is not final.</param>
    /// <returns>True for <see cref="Cancelled"/>, <see cref="Success"/>, <see cref="PartialSuccess"/> and <see cref="Error"/>.</returns>
    public static bool IsFinal(string? status) => status is Cancelled or Success or PartialSuccess or Error;
}
