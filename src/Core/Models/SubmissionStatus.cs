namespace Steep.Core.Models;

/// <summary>The statuses of a submission (Steep's values).</summary>
public static class SubmissionStatus
{
    /// <summary>Accepted, not started.</summary>
    public const string Accepted = "ACCEPTED";
    /// <summary>Being executed.</summary>
    public const string Running = "RUNNING";
    /// <summary>Cancelled.</summary>
    public const string Cancelled = "CANCELLED";
    /// <summary>Finished successfully.</summary>
    public const string Success = "SUCCESS";
    /// <summary>Finished, but some process chains failed.</summary>
    public const string PartialSuccess = "PARTIAL_SUCCESS";
    /// <summary>Failed.</summary>
    public const string Error = "ERROR";

    /// <summary>All values.</summary>
    public static readonly IReadOnlyList<string> All = [Accepted, Running, Cancelled, Success, PartialSuccess, Error];

    /// <summary>Whether a submission with this status will not change any more.</summary>
    public static bool IsFinal(string status) => status is Cancelled or Success or PartialSuccess or Error;
}
