using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>A grain with a one-second timer whose callback checks that it never overlaps a call.</summary>
internal sealed class TimerGrain(Probe probe) : Grain
{
    private int _inside;

    public int Ticks { get; private set; }

    protected override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        RegisterTimer(OnTickAsync, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
        return Task.CompletedTask;
    }

    protected override Task OnDeactivateAsync(CancellationToken cancellationToken)
    {
        probe.Deactivated.TrySetResult();
        return Task.CompletedTask;
    }

    public async Task Call(string name)
    {
        Enter();
        probe.Log(name);
        await Task.Yield();
        Interlocked.Decrement(ref _inside);
    }

    public Task<int> GetTicks() => Task.FromResult(Ticks);

    public Task Quit()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    private async Task OnTickAsync(CancellationToken cancellationToken)
    {
        Enter();
        probe.Log("tick start");
        probe.TimerEntered.TrySetResult();
        await probe.TimerGate;
        Ticks++;
        probe.Log("tick end");
        Interlocked.Decrement(ref _inside);
        probe.TimerDone.Release();
        if (Ticks == 3) throw new InvalidOperationException("third tick fails");
    }

    private void Enter()
    {
        if (Interlocked.Increment(ref _inside) != 1) Interlocked.Increment(ref probe.Violations);
    }
}
