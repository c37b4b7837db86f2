using Steep.Grains.Runtime;
using Steep.Grains.Tests.TestGrains;

namespace Steep.Grains.Tests;

/// <summary>[KeepAlive] grains are not collected when idle, but still end with the runtime.</summary>
public sealed class KeepAliveTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10);

    [KeepAlive]
    private sealed class PinnedGrain(Probe probe) : Grain
    {
        private int _number;

        protected override Task OnActivateAsync(CancellationToken cancellationToken)
        {
            _number = probe.Activated();
            return Task.CompletedTask;
        }

        protected override Task OnDeactivateAsync(CancellationToken cancellationToken)
        {
            probe.CountDeactivation();
            probe.Deactivated.TrySetResult();
            return Task.CompletedTask;
        }

        public Task<int> Number() => Task.FromResult(_number);
    }

    [Fact]
    public async Task AKeepAliveGrainOutlivesTheIdleTimeoutWhileOthersAreCollected()
    {
        var pinnedProbe = new Probe();
        var otherProbe = new Probe();
        var time = new ManualTimeProvider();
        var runtime = new GrainRuntime(new GrainRuntimeOptions
        {
            IdleTimeout = TimeSpan.FromMinutes(1), IdleCheckInterval = TimeSpan.FromSeconds(10), TimeProvider = time,
        });
        runtime.Register(_ => new PinnedGrain(pinnedProbe));
        runtime.Register(_ => new RecordingGrain(otherProbe));
        var pinned = runtime.Get<PinnedGrain>("p");
        Assert.Equal(1, await pinned.CallAsync(g => g.Number()));
        await runtime.Get<RecordingGrain>("r").CallAsync(g => g.Nop());

        time.Advance(TimeSpan.FromMinutes(5));
        await otherProbe.Deactivated.Task.WaitAsync(Guard);
        Assert.Equal(0, pinnedProbe.Deactivations);
        Assert.Equal(1, await pinned.CallAsync(g => g.Number())); // the same activation

        await runtime.StopAsync();
        await pinnedProbe.Deactivated.Task.WaitAsync(Guard);
        Assert.Equal(1, pinnedProbe.Deactivations);
    }
}
