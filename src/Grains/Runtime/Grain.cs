namespace Steep.Grains.Runtime;

/// <summary>
/// Base class of grains: objects with an identity that the runtime activates on first use, deactivates when idle and
/// calls one turn at a time, so grain code needs no locks. A grain must await everything it starts within the turn:
/// work left running after the turn ends (an un-awaited task, <c>Task.Run</c>) is not protected by the turn.
/// </summary>
public abstract class Grain
{
    private readonly Lock _timersLock = new();
    private readonly List<GrainTimer> _timers = [];
    private Activation? _activation;
    private volatile bool _ended;

    /// <summary>The grain's identity; available from <see cref="OnActivateAsync"/> on (constructors get the key).</summary>
    public GrainId Id => Attached.Id;

    /// <summary>The runtime hosting the grain, to get references to other grains.</summary>
    protected GrainRuntime Runtime => Attached.Runtime;

    private Activation Attached => _activation
        ?? throw new InvalidOperationException("The grain is not activated yet; its constructor gets the key from the factory.");

    /// <summary>Called before the first turn of a new activation; a failure fails the calls waiting for it.</summary>
    /// <param name="cancellationToken">Cancelled when the runtime's <see cref="GrainRuntime.StopAsync"/> is cancelled.</param>
    protected internal virtual Task OnActivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Called as the last turn of an activation (idle, <see cref="DeactivateOnIdle"/> or runtime stop).</summary>
    /// <param name="cancellationToken">Cancelled when the runtime's <see cref="GrainRuntime.StopAsync"/> is cancelled.</param>
    protected internal virtual Task OnDeactivateAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Returns a reference to another grain (or to this one, for notifications to itself).</summary>
    protected GrainRef<TGrain> GetGrain<TGrain>(string key) where TGrain : Grain => Runtime.Get<TGrain>(key);

    /// <summary>
    /// Deactivates this activation as soon as the current turn ends. Calls queued behind it are not lost: they run on a
    /// fresh activation afterwards.
    /// </summary>
    protected void DeactivateOnIdle() => Attached.RequestDeactivation(this);

    /// <summary>
    /// Starts a timer whose <paramref name="callback"/> runs as a turn of this grain (never overlapping calls or
    /// itself; ticks that come while one is queued or running are skipped). Timer ticks do not keep the grain active.
    /// The timer is disposed when the activation ends.
    /// </summary>
    /// <param name="callback">The work; gets the runtime's shutdown token. Failures are reported, the timer goes on.</param>
    /// <param name="dueTime">Time until the first tick.</param>
    /// <param name="period">Time between ticks; <see cref="Timeout.InfiniteTimeSpan"/> for a single tick.</param>
    /// <returns>Disposing it stops the timer.</returns>
    protected IDisposable RegisterTimer(Func<CancellationToken, Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var activation = Attached;
        lock (_timersLock)
        {
            if (_ended) throw new InvalidOperationException($"Grain {Id} is deactivating and cannot start timers.");
            var timer = new GrainTimer(activation, this, callback, dueTime, period);
            _timers.Add(timer);
            return timer;
        }
    }

    /// <summary>Binds a new instance to its directory entry; an instance serves one activation only.</summary>
    internal void Attach(Activation activation)
    {
        if (Interlocked.CompareExchange(ref _activation, activation, null) is not null)
            throw new InvalidOperationException(
                $"The factory of {activation.Id.GrainType.Name} returned an instance that was already used; it must create a new one.");
    }

    /// <summary>Ends the activation's lifetime: stops its timers and refuses new ones.</summary>
    internal void EndActivation()
    {
        GrainTimer[] timers;
        lock (_timersLock)
        {
            _ended = true;
            timers = [.. _timers];
        }
        foreach (var t in timers) t.Dispose();
    }

    /// <summary>Drops a disposed timer from the list.</summary>
    internal void ForgetTimer(GrainTimer timer)
    {
        lock (_timersLock) _timers.Remove(timer);
    }
}
