namespace Steep.Grains.Runtime;

/// <summary>What happened to a message offered to an activation.</summary>
internal enum EnqueueResult
{
    /// <summary>Queued; it will run.</summary>
    Accepted,

    /// <summary>The activation is gone (and already out of the directory): look the grain up again.</summary>
    Closed,

    /// <summary>The runtime is stopping and takes no new messages.</summary>
    Rejected,
}
