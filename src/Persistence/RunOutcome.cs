using Steep.Core.Models;

namespace Steep.Persistence;

/// <summary>How a chain update ends the chain's open run, the same in every store.</summary>
internal static class RunOutcome
{
    /// <summary>The error message of a run that never reported its end (its agent or process went away).</summary>
    public const string Interrupted = "The run was interrupted (its agent or process went away); the process chain was registered again.";

    /// <summary>
    /// The status and error message the open (RUNNING) run takes after <paramref name="update"/>, or null when the
    /// update does not end it: a final status ends it as such; going back to REGISTERED or PAUSED ends it as interrupted.
    /// </summary>
    public static (string Status, string? ErrorMessage)? Of(ProcessChainUpdate update) => update.Status switch
    {
        ProcessChainStatus.Success or ProcessChainStatus.Error or ProcessChainStatus.Cancelled => (update.Status, update.ErrorMessage),
        ProcessChainStatus.Registered or StoreStatuses.Paused => (ProcessChainStatus.Error, Interrupted),
        _ => null,
    };

    /// <summary>The run the update starts (or records after the fact), when it carries a run number.</summary>
    public static bool Starts(ProcessChainUpdate update) => update.RunNumber is > 0;
}
