namespace Steep.Grains.Runtime;

/// <summary>
/// A typed reference to a grain, valid whether or not the grain is active; get one with
/// <see cref="GrainRuntime.Get{TGrain}"/>. The delegates passed to it run as turns of the grain and receive the grain
/// instance, which they must not keep or hand out.
/// </summary>
public sealed class GrainRef<TGrain> where TGrain : Grain
{
    private readonly GrainRuntime _runtime;
    private readonly Func<string, Grain> _factory;
    private Activation? _activation; // last known directory entry; saves the lookup while it stays open

    internal GrainRef(GrainRuntime runtime, GrainId id, Func<string, Grain> factory)
    {
        _runtime = runtime;
        Id = id;
        _factory = factory;
    }

    /// <summary>The identity of the referenced grain.</summary>
    public GrainId Id { get; }

    /// <summary>
    /// Runs <paramref name="call"/> as a turn of the grain (after the calls queued before it) and completes with its
    /// outcome; a failure fails only this call. An awaited call that closes a cycle (the grain, or a grain it waits on,
    /// is already waiting for the caller, e.g. A awaits B which awaits A) would deadlock a turn-based grain, so it fails
    /// at once with an <see cref="InvalidOperationException"/> naming the cycle (<c>A/1 -> B/1 -> A/1</c>); use
    /// <see cref="Tell"/> for one direction. Only cycles along one chain of awaited calls are detected.
    /// </summary>
    /// <param name="call">The work, given the grain instance.</param>
    /// <param name="cancellationToken">Withdraws the call while it is still queued; a started call runs to its end.</param>
    public Task CallAsync(Func<TGrain, Task> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled(cancellationToken);
        var caller = _runtime.CurrentChain;
        if (caller is not null && caller.Contains(Id)) return Task.FromException(CycleError(caller));
        var envelope = new CallEnvelope<TGrain>(call, caller, cancellationToken);
        Send(envelope);
        return envelope.Task;
    }

    /// <summary>
    /// Runs <paramref name="call"/> as a turn of the grain (after the calls queued before it) and completes with its
    /// result; a failure fails only this call. An awaited call that closes a cycle (the grain, or a grain it waits on,
    /// is already waiting for the caller, e.g. A awaits B which awaits A) would deadlock a turn-based grain, so it fails
    /// at once with an <see cref="InvalidOperationException"/> naming the cycle (<c>A/1 -> B/1 -> A/1</c>); use
    /// <see cref="Tell"/> for one direction. Only cycles along one chain of awaited calls are detected.
    /// </summary>
    /// <param name="call">The work, given the grain instance.</param>
    /// <param name="cancellationToken">Withdraws the call while it is still queued; a started call runs to its end.</param>
    public Task<TResult> CallAsync<TResult>(Func<TGrain, Task<TResult>> call, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (cancellationToken.IsCancellationRequested) return Task.FromCanceled<TResult>(cancellationToken);
        var caller = _runtime.CurrentChain;
        if (caller is not null && caller.Contains(Id)) return Task.FromException<TResult>(CycleError(caller));
        var envelope = new CallEnvelope<TGrain, TResult>(call, caller, cancellationToken);
        Send(envelope);
        return envelope.Task;
    }

    /// <summary>
    /// Queues <paramref name="notification"/> as a turn of the grain and returns at once (fire-and-forget). Nobody
    /// waits for it, so notifications never deadlock, in cycles too; failures, and notifications refused because the
    /// runtime is stopping, are reported through <see cref="GrainRuntime.UnhandledException"/>.
    /// </summary>
    /// <param name="notification">The work, given the grain instance.</param>
    public void Tell(Func<TGrain, Task> notification)
    {
        ArgumentNullException.ThrowIfNull(notification);
        Send(new TellEnvelope<TGrain>(_runtime, Id, notification));
    }

    /// <summary>Returns the grain's identity, <c>TypeName/key</c>.</summary>
    public override string ToString() => Id.ToString();

    private void Send(IEnvelope envelope)
    {
        var activation = _activation;
        if (activation is not null)
        {
            switch (activation.TryEnqueue(envelope))
            {
                case EnqueueResult.Accepted:
                    return;
                case EnqueueResult.Rejected:
                    envelope.Fail(_runtime.StoppingError(Id));
                    return;
            }
        }
        _activation = _runtime.Route(Id, _factory, envelope);
    }

    private InvalidOperationException CycleError(CallChain caller) => new(
        $"Awaited grain call cycle {caller.DescribeCycle(Id)}: {Id} is already waiting for this call, and a grain " +
        "handles one call at a time, so awaiting it would deadlock. Use Tell (a one-way notification) for one direction.");
}
