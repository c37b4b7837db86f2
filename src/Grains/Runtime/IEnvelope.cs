namespace Steep.Grains.Runtime;

/// <summary>One entry of an activation's mailbox: a call, a notification or a timer tick.</summary>
internal interface IEnvelope
{
    /// <summary>True for calls and notifications, which count as activity; false for timer ticks, which do not.</summary>
    bool IsCall { get; }

    /// <summary>The chain of the turn that awaits this call, or null when no turn waits for it.</summary>
    CallChain? CallerChain { get; }

    /// <summary>True when the entry belongs to an earlier activation (timer ticks) and must be dropped.</summary>
    bool IsStaleFor(Grain? current);

    /// <summary>Marks the entry as started; false when it was cancelled while queued and must be skipped.</summary>
    bool TryStart();

    /// <summary>Runs the turn and keeps its outcome; never throws.</summary>
    Task RunAsync(Grain grain);

    /// <summary>Hands the outcome to the caller (or reports it); called after the activation's bookkeeping.</summary>
    void Publish();

    /// <summary>Fails the entry without running it.</summary>
    void Fail(Exception error);
}
