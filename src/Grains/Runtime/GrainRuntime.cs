using System.Collections.Concurrent;
using System.Diagnostics;

namespace Steep.Grains.Runtime;

/// <summary>
/// Hosts grains in one process: keeps the directory of activations (one per identity), routes calls to their
/// mailboxes, deactivates idle activations and stops them all on shutdown.
/// </summary>
public sealed class GrainRuntime : IAsyncDisposable
{
    private readonly ConcurrentDictionary<Type, Func<string, Grain>> _factories = new();
    private readonly ConcurrentDictionary<GrainId, Activation> _directory = new();
    private readonly AsyncLocal<CallChain?> _chain = new();
    private readonly CancellationTokenSource _shutdown = new(); // never disposed: grains may keep its token past stop
    private readonly TimeSpan _idleTimeout;
    private readonly ITimer? _idleSweeper;
    private readonly Lock _stopLock = new();
    private Task? _stop;
    private volatile bool _stopping;

    /// <summary>Creates a runtime; <paramref name="options"/> null means the defaults.</summary>
    public GrainRuntime(GrainRuntimeOptions? options = null)
    {
        options ??= new GrainRuntimeOptions();
        ArgumentNullException.ThrowIfNull(options.TimeProvider, nameof(options.TimeProvider));
        if (options.IdleTimeout <= TimeSpan.Zero && options.IdleTimeout != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(options), "IdleTimeout must be positive or infinite.");
        if (options.IdleCheckInterval is { } i && i <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(options), "IdleCheckInterval must be positive.");

        Time = options.TimeProvider;
        _idleTimeout = options.IdleTimeout;
        if (_idleTimeout != Timeout.InfiniteTimeSpan)
        {
            var interval = options.IdleCheckInterval
                ?? TimeSpan.FromTicks(Math.Clamp(_idleTimeout.Ticks / 4, TimeSpan.TicksPerMillisecond, TimeSpan.TicksPerMinute));
            _idleSweeper = CreateTimer(static s => ((GrainRuntime)s!).DeactivateIdle(), this, interval, interval);
        }
    }

    /// <summary>
    /// Raised for errors no caller can observe: failed notifications and timer callbacks, failed activations and
    /// deactivations. Handlers run on grain threads and should be quick; exceptions they throw are ignored.
    /// </summary>
    public event EventHandler<GrainErrorEventArgs>? UnhandledException;

    /// <summary>The number of directory entries (active grains, including ones activating or deactivating).</summary>
    public int ActivationCount => _directory.Count;

    /// <summary>True once <see cref="StopAsync"/> has begun; from then on no new calls are accepted.</summary>
    public bool IsStopping => _stopping;

    internal TimeProvider Time { get; }

    internal CancellationToken ShutdownToken => _shutdown.Token;

    internal CallChain? CurrentChain
    {
        get => _chain.Value;
        set => _chain.Value = value;
    }

    /// <summary>Registers how grains of class <typeparamref name="TGrain"/> are created: a new instance per activation.</summary>
    /// <param name="factory">Gets the key and returns a new, not yet used instance (e.g. from a DI container).</param>
    public void Register<TGrain>(Func<string, TGrain> factory) where TGrain : Grain
    {
        ArgumentNullException.ThrowIfNull(factory);
        if (!_factories.TryAdd(typeof(TGrain), factory))
            throw new InvalidOperationException($"A factory for grain type {typeof(TGrain).Name} is already registered.");
    }

    /// <summary>Returns a reference to the grain of class <typeparamref name="TGrain"/> with <paramref name="key"/>.</summary>
    /// <exception cref="InvalidOperationException">No factory is registered for <typeparamref name="TGrain"/>.</exception>
    public GrainRef<TGrain> Get<TGrain>(string key) where TGrain : Grain
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!_factories.TryGetValue(typeof(TGrain), out var factory))
            throw new InvalidOperationException(
                $"No factory is registered for grain type {typeof(TGrain).Name}; call Register<{typeof(TGrain).Name}>(...) first.");
        return new GrainRef<TGrain>(this, new GrainId(typeof(TGrain), key), factory);
    }

    /// <summary>
    /// Stops the runtime: from now on new calls fail and notifications are reported as refused; calls already queued
    /// run to their end; then every activation is deactivated (<see cref="Grain.OnDeactivateAsync"/>). Calling it
    /// again waits for the same stop. It must not be called from inside a grain, whose turn it would wait for.
    /// </summary>
    /// <param name="cancellationToken">Stops waiting and cancels the token grains got in their callbacks.</param>
    public Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (CurrentChain is { } chain)
            return Task.FromException(new InvalidOperationException(
                $"StopAsync was called inside a turn of grain {chain.Grain}, which it would wait for forever."));
        Task stop;
        lock (_stopLock) stop = _stop ??= StopCoreAsync();
        return cancellationToken.CanBeCanceled ? WaitForStopAsync(stop, cancellationToken) : stop;
    }

    /// <summary>Stops the runtime (see <see cref="StopAsync"/>).</summary>
    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);

    /// <summary>Queues <paramref name="envelope"/> on the entry of <paramref name="id"/>, creating it if needed.</summary>
    /// <returns>The entry, for the reference to remember; null when the runtime refused the message.</returns>
    internal Activation? Route(GrainId id, Func<string, Grain> factory, IEnvelope envelope)
    {
        while (true)
        {
            if (_stopping)
            {
                envelope.Fail(StoppingError(id));
                return null;
            }
            // an entry is cheap and inert until its first message, so losing a creation race costs nothing
            var activation = _directory.GetOrAdd(id,
                static (id, arg) => new Activation(arg.Runtime, id, arg.Factory), (Runtime: this, Factory: factory));
            switch (activation.TryEnqueue(envelope))
            {
                case EnqueueResult.Accepted:
                    return activation;
                case EnqueueResult.Rejected:
                    activation.CloseIfUnused();
                    envelope.Fail(StoppingError(id));
                    return null;
            }
            // Closed: the entry left the directory before it closed, so the next lookup finds or makes a fresh one
        }
    }

    /// <summary>Removes <paramref name="activation"/> from the directory (only that entry, not a successor).</summary>
    internal void Remove(Activation activation) =>
        _directory.TryRemove(new KeyValuePair<GrainId, Activation>(activation.Id, activation));

    /// <summary>The error of a call refused because the runtime is stopping.</summary>
    internal InvalidOperationException StoppingError(GrainId id) =>
        new($"The grain runtime is stopping; the call to {id} was not accepted.");

    /// <summary>Reports an error no caller can observe; never throws.</summary>
    internal void Report(GrainId id, GrainErrorSource source, Exception error)
    {
        var handler = UnhandledException;
        if (handler is null)
        {
            Trace.TraceError($"Grain {id} ({source}): {error}");
            return;
        }
        // a handler is not part of any turn: if it calls grains, it must not look like part of the current call chain
        var chain = CurrentChain;
        if (chain is not null) CurrentChain = null;
        try
        {
            handler(this, new GrainErrorEventArgs(id, source, error));
        }
        catch (Exception handlerError)
        {
            // a broken handler must not take the grain down with it
            Trace.TraceError($"UnhandledException handler failed for grain {id}: {handlerError}");
        }
        finally
        {
            if (chain is not null) CurrentChain = chain; // Report may run synchronously inside a turn (a refused Tell)
        }
    }

    /// <summary>Creates a timer on the runtime's clock that does not capture the caller's execution context.</summary>
    internal ITimer CreateTimer(TimerCallback callback, object state, TimeSpan dueTime, TimeSpan period)
    {
        // the callback only queues work; carrying the creator's async locals (its call chain) would be wrong
        if (ExecutionContext.IsFlowSuppressed()) return Time.CreateTimer(callback, state, dueTime, period);
        using (ExecutionContext.SuppressFlow()) return Time.CreateTimer(callback, state, dueTime, period);
    }

    private void DeactivateIdle()
    {
        var now = Time.GetTimestamp();
        foreach (var entry in _directory) entry.Value.CheckIdle(now, _idleTimeout);
    }

    private async Task StopCoreAsync()
    {
        _stopping = true; // set before the first await: a call made after StopAsync returns is refused
        if (_idleSweeper is not null) await _idleSweeper.DisposeAsync().ConfigureAwait(false);
        // repeated because an entry may be created in a race with the flag; each round only shrinks the directory
        while (!_directory.IsEmpty)
        {
            var entries = _directory.Values;
            foreach (var a in entries) a.RequestStop();
            await Task.WhenAll(entries.Select(a => a.Closed)).ConfigureAwait(false);
        }
    }

    private async Task WaitForStopAsync(Task stop, CancellationToken cancellationToken)
    {
        using var registration = cancellationToken.UnsafeRegister(static s =>
        {
            try { ((CancellationTokenSource)s!).Cancel(); }
            catch (AggregateException) { } // grain callbacks on the shutdown token must not break the canceller
        }, _shutdown);
        await stop.WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
