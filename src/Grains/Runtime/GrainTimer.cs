namespace Steep.Grains.Runtime;

/// <summary>
/// A periodic timer of one grain activation. A tick does not run the callback directly but queues the timer itself
/// as a turn, so the callback never overlaps calls; ticks while one is queued or running are skipped.
/// </summary>
internal sealed class GrainTimer : IEnvelope, IDisposable
{
    private readonly Activation _owner;
    private readonly Grain _grain;
    private readonly Func<CancellationToken, Task> _callback;
    private readonly ITimer _timer;
    private int _queued;
    private volatile bool _disposed;
    private Exception? _error;

    /// <summary>Starts a timer of <paramref name="grain"/> on <paramref name="owner"/>'s clock.</summary>
    public GrainTimer(Activation owner, Grain grain, Func<CancellationToken, Task> callback, TimeSpan dueTime,
        TimeSpan period)
    {
        _owner = owner;
        _grain = grain;
        _callback = callback;
        _timer = owner.Runtime.CreateTimer(static s => ((GrainTimer)s!).OnTick(), this, dueTime, period);
    }

    /// <inheritdoc/>
    public bool IsCall => false;

    /// <inheritdoc/>
    public CallChain? CallerChain => null;

    /// <inheritdoc/>
    public bool IsStaleFor(Grain? current) => _disposed || !ReferenceEquals(current, _grain);

    /// <inheritdoc/>
    public bool TryStart() => !_disposed;

    /// <inheritdoc/>
    public async Task RunAsync(Grain grain)
    {
        try { await _callback(_owner.Runtime.ShutdownToken).ConfigureAwait(false); }
        catch (Exception ex) { _error = ex; }
    }

    /// <inheritdoc/>
    public void Publish()
    {
        var error = _error;
        _error = null;
        Volatile.Write(ref _queued, 0);
        if (error is not null) _owner.Runtime.Report(_owner.Id, GrainErrorSource.Timer, error);
    }

    /// <inheritdoc/>
    public void Fail(Exception error) => Volatile.Write(ref _queued, 0);

    /// <summary>Stops the timer; a tick already queued is dropped.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _timer.Dispose();
        _grain.ForgetTimer(this);
    }

    private void OnTick()
    {
        if (_disposed || Interlocked.Exchange(ref _queued, 1) != 0) return;
        if (_owner.TryEnqueue(this) != EnqueueResult.Accepted) Volatile.Write(ref _queued, 0);
    }
}
