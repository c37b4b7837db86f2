namespace Steep.Grains.Runtime;

/// <summary>An awaited call without a result; it is its own completion source to save an allocation per call.</summary>
internal sealed class CallEnvelope<TGrain> : TaskCompletionSource, IEnvelope where TGrain : Grain
{
    private readonly Func<TGrain, Task> _call;
    private readonly CancellationTokenRegistration _registration;
    private int _state; // CallState
    private Exception? _error;

    /// <summary>Creates the call; <paramref name="cancellationToken"/> can withdraw it while it is queued.</summary>
    public CallEnvelope(Func<TGrain, Task> call, CallChain? callerChain, CancellationToken cancellationToken)
        : base(TaskCreationOptions.RunContinuationsAsynchronously) // the caller must not run on the grain's turn
    {
        _call = call;
        CallerChain = callerChain;
        if (cancellationToken.CanBeCanceled)
            _registration = cancellationToken.UnsafeRegister(
                static (s, t) => ((CallEnvelope<TGrain>)s!).Cancel(t), this);
    }

    /// <inheritdoc/>
    public bool IsCall => true;

    /// <inheritdoc/>
    public CallChain? CallerChain { get; }

    /// <inheritdoc/>
    public bool IsStaleFor(Grain? current) => false;

    /// <inheritdoc/>
    public bool TryStart()
    {
        if (Interlocked.CompareExchange(ref _state, CallState.Started, CallState.Queued) != CallState.Queued) return false;
        _registration.Unregister();
        return true;
    }

    /// <inheritdoc/>
    public async Task RunAsync(Grain grain)
    {
        try { await _call((TGrain)grain).ConfigureAwait(false); }
        catch (Exception ex) { _error = ex; }
    }

    /// <inheritdoc/>
    public void Publish()
    {
        if (_state != CallState.Started) return;
        if (_error is null) TrySetResult();
        else if (_error is OperationCanceledException oce) TrySetCanceled(oce.CancellationToken);
        else TrySetException(_error);
    }

    /// <inheritdoc/>
    public void Fail(Exception error)
    {
        Interlocked.Exchange(ref _state, CallState.Done);
        _registration.Unregister();
        TrySetException(error);
    }

    private void Cancel(CancellationToken token)
    {
        // once started, the call runs to its end: the grain's state must not depend on when the caller gave up
        if (Interlocked.CompareExchange(ref _state, CallState.Done, CallState.Queued) == CallState.Queued)
            TrySetCanceled(token);
    }
}
