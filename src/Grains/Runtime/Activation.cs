namespace Steep.Grains.Runtime;

/// <summary>
/// The directory entry of one grain identity: its FIFO mailbox and the single consumer loop that runs one turn at a
/// time. The entry outlives grain instances: when the grain deactivates while messages are queued, the loop creates a
/// fresh instance for them, so nothing queued is ever lost and two instances of one identity never overlap. The entry
/// leaves the directory (under its lock, with an empty mailbox) only when no instance is left.
/// </summary>
internal sealed class Activation : IThreadPoolWorkItem
{
    // turns run per thread-pool work item before the loop requeues itself, so a busy grain cannot hog a thread
    private const int TurnsPerBatch = 64;

    private readonly Func<string, Grain> _factory;
    private readonly CallChain _selfChain;
    private readonly Lock _lock = new();
    private readonly Queue<IEnvelope> _queue = new();
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    // all guarded by _lock; _grain is written only by the loop, so the loop may read it without the lock
    private Grain? _grain;
    private bool _running;
    private bool _isClosed;
    private bool _deactivateAfterTurn;
    private bool _idleRequested;
    private bool _stopRequested;
    private int _pendingCalls; // calls and notifications queued or running (timer ticks excluded)
    private long _lastActivity; // timestamp of the last finished call or notification

    /// <summary>Creates an entry; nothing runs until the first message arrives.</summary>
    public Activation(GrainRuntime runtime, GrainId id, Func<string, Grain> factory)
    {
        Runtime = runtime;
        Id = id;
        _factory = factory;
        _selfChain = new CallChain(id, null);
    }

    private enum Step { Exit, Yield, Close, Deactivate, Run }

    /// <summary>The identity this entry hosts.</summary>
    public GrainId Id { get; }

    /// <summary>The runtime that owns this entry.</summary>
    public GrainRuntime Runtime { get; }

    /// <summary>Completes when the entry has left the directory for good.</summary>
    public Task Closed => _closed.Task;

    /// <summary>Queues a message and makes sure the loop runs.</summary>
    public EnqueueResult TryEnqueue(IEnvelope envelope)
    {
        lock (_lock)
        {
            if (_isClosed) return EnqueueResult.Closed;
            if (Runtime.IsStopping) return EnqueueResult.Rejected;
            _queue.Enqueue(envelope);
            if (envelope.IsCall) _pendingCalls++;
            if (_running) return EnqueueResult.Accepted;
            _running = true;
        }
        Schedule();
        return EnqueueResult.Accepted;
    }

    /// <summary>Asks for <paramref name="grain"/> to be deactivated when its current turn ends.</summary>
    public void RequestDeactivation(Grain grain)
    {
        lock (_lock)
        {
            // a stale instance (already replaced) must not deactivate its successor
            if (_isClosed || !ReferenceEquals(_grain, grain)) return;
            _deactivateAfterTurn = true;
            if (_running) return;
            _running = true;
        }
        Schedule();
    }

    /// <summary>Asks for deactivation when no call arrived for <paramref name="idleTimeout"/> before <paramref name="now"/>.</summary>
    public void CheckIdle(long now, TimeSpan idleTimeout)
    {
        lock (_lock)
        {
            if (_isClosed || _grain is null || _pendingCalls > 0 || _idleRequested || _deactivateAfterTurn) return;
            if (KeepAliveAttribute.IsOn(_grain.GetType())) return;
            if (Runtime.Time.GetElapsedTime(_lastActivity, now) < idleTimeout) return;
            // the loop decides, under the lock, whether the grain is still idle when it gets to it
            _idleRequested = true;
            if (_running) return;
            _running = true;
        }
        Schedule();
    }

    /// <summary>Asks the loop to finish the queued calls, deactivate and close (the runtime takes no new messages).</summary>
    public void RequestStop()
    {
        lock (_lock)
        {
            if (_isClosed) return;
            _stopRequested = true;
            if (_running) return;
            _running = true;
        }
        Schedule();
    }

    /// <summary>Closes an entry that never got to run anything (created just as the runtime began stopping).</summary>
    public void CloseIfUnused()
    {
        lock (_lock)
        {
            if (_isClosed || _running || _grain is not null || _queue.Count > 0) return;
            _isClosed = true;
            Runtime.Remove(this);
        }
        _closed.TrySetResult();
    }

    /// <summary>Runs the loop on a thread-pool thread.</summary>
    void IThreadPoolWorkItem.Execute() => _ = RunAsync();

    // no execution context is captured: a turn must not inherit the async locals of whoever woke the loop; the global
    // queue (not the current thread's) so that a loop woken from a long-running thread is not stuck behind it
    private void Schedule() => ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);

    private async Task RunAsync()
    {
        IEnvelope? finished = null;
        var turns = 0;
        try
        {
            while (true)
            {
                Step step;
                IEnvelope? next;
                lock (_lock)
                {
                    if (finished is not null)
                    {
                        // notifications and timer turns are activity too: a grain fed only by Tell is not idle
                        if (finished.IsCall) _pendingCalls--;
                        _lastActivity = Runtime.Time.GetTimestamp();
                    }
                    step = ChooseStep(ref turns, out next);
                }

                // published after the bookkeeping, so a caller that sees its call done also sees the grain idle
                finished?.Publish();
                finished = null;

                switch (step)
                {
                    case Step.Exit:
                        return;
                    case Step.Yield:
                        Schedule();
                        return;
                    case Step.Close:
                        _closed.TrySetResult();
                        return;
                    case Step.Deactivate:
                        await DeactivateAsync().ConfigureAwait(false);
                        continue;
                }

                finished = next!;
                if (!next!.TryStart()) continue; // cancelled while queued

                var grain = _grain ?? await ActivateAsync(next).ConfigureAwait(false);
                if (grain is null) return; // activation failed; everything queued was failed and the entry closed

                var chain = next.CallerChain is { } caller ? new CallChain(Id, caller) : _selfChain;
                // setting an async local allocates a new execution context; most turns keep the previous one
                if (!ReferenceEquals(Runtime.CurrentChain, chain)) Runtime.CurrentChain = chain;
                var turn = next.RunAsync(grain);
                if (!turn.IsCompleted) await turn.ConfigureAwait(false);
            }
        }
        catch (Exception ex)
        {
            Runtime.Report(Id, GrainErrorSource.Runtime, ex);
        }
    }

    // called under _lock
    private Step ChooseStep(ref int turns, out IEnvelope? next)
    {
        next = null;
        if (_grain is not null)
        {
            if (_deactivateAfterTurn || ((_idleRequested || _stopRequested) && _pendingCalls == 0))
            {
                _deactivateAfterTurn = false;
                _idleRequested = false;
                return Step.Deactivate;
            }
            if (_pendingCalls > 0) _idleRequested = false; // a call came in after the idle check: not idle any more
        }

        if (_queue.Count > 0 && ++turns > TurnsPerBatch) return Step.Yield;

        while (_queue.TryDequeue(out next))
            if (!next.IsStaleFor(_grain)) return Step.Run;
        next = null;

        if (_grain is null)
        {
            _isClosed = true;
            _running = false;
            Runtime.Remove(this);
            return Step.Close;
        }
        _running = false;
        return Step.Exit;
    }

    private async Task<Grain?> ActivateAsync(IEnvelope trigger)
    {
        Grain? grain = null;
        try
        {
            grain = _factory(Id.Key)
                ?? throw new InvalidOperationException($"The factory of grain type {Id.GrainType.Name} returned null.");
            grain.Attach(this);
            lock (_lock) _grain = grain;
            // activation is part of the first turn, so whoever awaits that turn also waits for the activation
            Runtime.CurrentChain = trigger.CallerChain is { } caller ? new CallChain(Id, caller) : _selfChain;
            await grain.OnActivateAsync(Runtime.ShutdownToken).ConfigureAwait(false);
            return grain;
        }
        catch (Exception ex)
        {
            grain?.EndActivation();
            FailAll(trigger, ex);
            return null;
        }
    }

    // a grain that cannot activate fails everything queued for it; the next message tries a fresh entry
    private void FailAll(IEnvelope trigger, Exception error)
    {
        IEnvelope[] queued;
        lock (_lock)
        {
            _grain = null;
            _isClosed = true;
            _running = false;
            Runtime.Remove(this);
            queued = _queue.ToArray();
            _queue.Clear();
        }
        Runtime.Report(Id, GrainErrorSource.Activation, error);
        trigger.Fail(error);
        foreach (var e in queued) e.Fail(error);
        _closed.TrySetResult();
    }

    private async Task DeactivateAsync()
    {
        var grain = _grain!;
        grain.EndActivation(); // stops its timers first, so no tick is queued for an instance that is going away
        Runtime.CurrentChain = _selfChain;
        try
        {
            await grain.OnDeactivateAsync(Runtime.ShutdownToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Runtime.Report(Id, GrainErrorSource.Deactivation, ex);
        }
        lock (_lock)
        {
            _grain = null;
            // requests made while OnDeactivateAsync ran were about the old instance, not the next one
            _idleRequested = false;
            _deactivateAfterTurn = false;
        }
    }
}
