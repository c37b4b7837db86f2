namespace Steep.Grains.Tests.TestGrains;

/// <summary>What test grains report to the test: lifecycle counters, a log, and gates the test opens.</summary>
internal sealed class Probe
{
    private readonly Lock _lock = new();
    private readonly List<string> _log = [];
    private int _live;
    public int Created;
    public int Activations;
    public int Deactivations;
    public int MaxLive;
    public int Violations;

    /// <summary>Completed when an OnDeactivateAsync begins; replace it to wait for the next one.</summary>
    public TaskCompletionSource Deactivating { get; set; } = NewSignal();

    /// <summary>Completed when an OnDeactivateAsync ends; replace it to wait for the next one.</summary>
    public TaskCompletionSource Deactivated { get; set; } = NewSignal();

    /// <summary>OnDeactivateAsync waits for this before it ends.</summary>
    public Task DeactivationGate { get; set; } = Task.CompletedTask;

    /// <summary>Timer callbacks wait for this in the middle of their turn.</summary>
    public Task TimerGate { get; set; } = Task.CompletedTask;

    /// <summary>Completed when a timer callback has entered its turn; replace it to wait for the next one.</summary>
    public TaskCompletionSource TimerEntered { get; set; } = NewSignal();

    /// <summary>Released once per finished timer callback.</summary>
    public SemaphoreSlim TimerDone { get; } = new(0);

    public static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Log(string entry)
    {
        lock (_lock) _log.Add(entry);
    }

    public string[] Entries()
    {
        lock (_lock) return [.. _log];
    }

    public int Activated()
    {
        var live = Interlocked.Increment(ref _live);
        lock (_lock) MaxLive = Math.Max(MaxLive, live);
        return Interlocked.Increment(ref Activations);
    }

    public void CountDeactivation()
    {
        Interlocked.Decrement(ref _live);
        Interlocked.Increment(ref Deactivations);
    }
}
