namespace Steep.Grains.Runtime;

/// <summary>A one-way notification; its failure is reported to the runtime, since nobody waits for it.</summary>
internal sealed class TellEnvelope<TGrain>(GrainRuntime runtime, GrainId target, Func<TGrain, Task> notification)
    : IEnvelope where TGrain : Grain
{
    private Exception? _error;

    /// <inheritdoc/>
    public bool IsCall => true;

    /// <inheritdoc/>
    public CallChain? CallerChain => null; // the sender does not wait, so it cannot be part of a deadlock

    /// <inheritdoc/>
    public bool IsStaleFor(Grain? current) => false;

    /// <inheritdoc/>
    public bool TryStart() => true;

    /// <inheritdoc/>
    public async Task RunAsync(Grain grain)
    {
        try { await notification((TGrain)grain).ConfigureAwait(false); }
        catch (Exception ex) { _error = ex; }
    }

    /// <inheritdoc/>
    public void Publish()
    {
        if (_error is not null) runtime.Report(target, GrainErrorSource.Tell, _error);
    }

    /// <inheritdoc/>
    public void Fail(Exception error) => runtime.Report(target, GrainErrorSource.Tell, error);
}
