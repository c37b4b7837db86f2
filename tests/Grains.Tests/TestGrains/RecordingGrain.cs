using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>A grain that records what happens to it in a <see cref="Probe"/>.</summary>
internal sealed class RecordingGrain : Grain
{
    private readonly Probe _probe;
    private List<int> _seen = [];
    private int _number;
    private int _inside;
    private int _guardedCount;
    private int _counter;

    public RecordingGrain(Probe probe)
    {
        _probe = probe;
        Interlocked.Increment(ref probe.Created);
    }

    protected override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await Task.Yield(); // widens the window in which concurrent first callers could race
        _seen = [];
        _number = _probe.Activated();
    }

    protected override async Task OnDeactivateAsync(CancellationToken cancellationToken)
    {
        _probe.Deactivating.TrySetResult();
        await _probe.DeactivationGate;
        _probe.CountDeactivation();
        _probe.Deactivated.TrySetResult();
    }

    public Task Nop() => Task.CompletedTask;

    public Task<int> Number() => Task.FromResult(_number);

    public Task Record(int i)
    {
        _seen.Add(i);
        _probe.Log($"record {i}");
        return Task.CompletedTask;
    }

    public Task<int[]> Seen() => Task.FromResult(_seen.ToArray());

    public Task Boom() => throw new InvalidOperationException("boom");

    public async Task BoomLater()
    {
        await Task.Yield();
        throw new InvalidOperationException("boom later");
    }

    public Task<int> Increment() => Task.FromResult(++_counter);

    public async Task<int> Guarded()
    {
        if (Interlocked.Increment(ref _inside) != 1) Interlocked.Increment(ref _probe.Violations);
        await Task.Yield();
        var n = ++_guardedCount;
        await Task.Delay(0);
        Interlocked.Decrement(ref _inside);
        return n;
    }

    public async Task Block(Task gate)
    {
        _probe.Log("block start");
        await gate;
        _probe.Log("block end");
    }

    public Task Quit()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
