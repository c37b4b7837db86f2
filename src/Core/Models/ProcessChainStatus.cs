namespace Steep.Core.Models;

/// <summary>The statuses of a process chain (Steep's values).</summary>
public static class ProcessChainStatus
{
    /// <summary>Created, not started.</summary>
    public const string Registered = "REGISTERED";
    /// <summary>Being executed.</summary>
    public const string Running = "RUNNING";
    /// <summary>Cancelled.</summary>
    public const string Cancelled = "CANCELLED";
    /// <summary>Finished successfully.</summary>
    public const string Success = "SUCCESS";
    /// <summary>Failed.</summary>
    public const string Error = "ERROR";

    /// <summary>All values.</summary>
    public static readonly IReadOnlyList<string> All = [Registered, Running, Cancelled, Success, Error];
}
