namespace Steep.Grains.Runtime;

/// <summary>States of an awaited call, kept in an int so that cancellation and start can race with one CAS.</summary>
internal static class CallState
{
    /// <summary>Waiting in the mailbox.</summary>
    public const int Queued = 0;

    /// <summary>Its turn has begun; it will run to the end.</summary>
    public const int Started = 1;

    /// <summary>Cancelled or failed before it started.</summary>
    public const int Done = 2;
}
