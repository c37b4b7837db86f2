namespace Steep.Client.Models;

/// <summary>The values of <see cref="ProcessChain.Status"/>, exactly as the API writes them.</summary>
public static class ProcessChainStatus
{
    /// <summary>The process chain has been created but its execution has not started yet.</summary>
    public const string Registered = "REGISTERED";

    /// <summary>The process chain is being executed.</summary>
    public const string Running = "RUNNING";

    /// <summary>The execution of the process chain was cancelled.</summary>
    public const string Cancelled = "CANCELLED";

    /// <summary>The process chain was executed successfully.</summary>
    public const string Success = "SUCCESS";

    /// <summary>The execution of the process chain failed.</summary>
    public const string Error = "ERROR";

    /// <summary>All statuses, in the order of the documentation.</summary>
    public static IReadOnlyList<string> All { get; } = [Registered, Running, Cancelled, Success, Error];

    /// <summary>Whether a process chain with this status will not change any more.</summary>
    /// <param name="status">A process chain status; null is not final.</param>
    /// <returns>True for <see cref="Cancelled"/>, <see cref="Success"/> and <see cref="Error"/>.</returns>
    public static bool IsFinal(string? status) => status is Cancelled or Success or Error;
}
