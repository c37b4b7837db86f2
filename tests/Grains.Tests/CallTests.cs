using Steep.Grains.Runtime;
using Steep.Grains.Tests.TestGrains;

namespace Steep.Grains.Tests;

/// <summary>Calls and notifications: order, single activation, turns, failures, cycles.</summary>
public sealed class CallTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10); // fails a hang instead of waiting forever

    private static GrainRuntime NewRuntime(Probe probe)
    {
        var runtime = new GrainRuntime(new GrainRuntimeOptions { IdleTimeout = Timeout.InfiniteTimeSpan });
        runtime.Register(_ => new RecordingGrain(probe));
        runtime.Register(_ => new BallGrain());
        runtime.Register(_ => new CycleAGrain());
        runtime.Register(_ => new CycleBGrain());
        runtime.Register(_ => new CycleCGrain());
        runtime.Register(_ => new FlakyGrain(probe));
        return runtime;
    }

    [Fact]
    public async Task CallsAndNotificationsFromOneCallerArriveInOrder()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe);
        var grain = runtime.Get<RecordingGrain>("order");

        var calls = new List<Task>();
        for (var i = 0; i < 1000; i++)
        {
            var n = i;
            if (i % 3 == 0) grain.Tell(g => g.Record(n));
            else calls.Add(grain.CallAsync(g => g.Record(n)));
        }
        await Task.WhenAll(calls).WaitAsync(Guard);

        Assert.Equal(Enumerable.Range(0, 1000), await grain.CallAsync(g => g.Seen()));
    }

    [Fact]
    public async Task ConcurrentFirstCallersShareOneActivation()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe);
        const int keys = 20, callers = 50;
        var start = Probe.NewSignal();

        var tasks = new Task<(string Key, int Number)>[keys * callers];
        for (var i = 0; i < tasks.Length; i++)
        {
            var key = $"k{i % keys}";
            tasks[i] = Task.Run(async () =>
            {
                await start.Task;
                return (key, await runtime.Get<RecordingGrain>(key).CallAsync(g => g.Number()));
            });
        }
        start.SetResult();
        var results = await Task.WhenAll(tasks).WaitAsync(Guard);

        Assert.Equal(keys, probe.Created);
        Assert.Equal(keys, probe.Activations);
        Assert.All(results.GroupBy(r => r.Key), g => Assert.Single(g.Select(r => r.Number).Distinct()));
        Assert.Equal(keys, runtime.ActivationCount);
    }

    [Fact]
    public async Task AGrainRunsOneTurnAtATime()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe);
        var start = Probe.NewSignal();

        var tasks = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            var grain = runtime.Get<RecordingGrain>("turns");
            var mine = new List<Task>();
            for (var i = 0; i < 20; i++)
            {
                mine.Add(grain.CallAsync(g => g.Guarded()));
                grain.Tell(g => g.Guarded());
            }
            await Task.WhenAll(mine);
        })).ToArray();
        start.SetResult();
        await Task.WhenAll(tasks).WaitAsync(Guard);

        // every notification was queued before its caller finished, so before this call
        Assert.Equal(2001, await runtime.Get<RecordingGrain>("turns").CallAsync(g => g.Guarded()));
        Assert.Equal(0, probe.Violations);
    }

    [Fact]
    public async Task AFailedCallFailsOnlyThatCall()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe);
        var reported = new TaskCompletionSource<GrainErrorEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        runtime.UnhandledException += (_, e) => reported.TrySetResult(e);
        var grain = runtime.Get<RecordingGrain>("fail");

        await grain.CallAsync(g => g.Record(1));
        var sync = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.CallAsync(g => g.Boom()));
        var async = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.CallAsync(g => g.BoomLater()));
        grain.Tell(g => g.Boom());
        await grain.CallAsync(g => g.Record(2));

        Assert.Equal("boom", sync.Message);
        Assert.Equal("boom later", async.Message);
        var error = await reported.Task.WaitAsync(Guard);
        Assert.Equal(GrainErrorSource.Tell, error.Source);
        Assert.Equal(grain.Id, error.GrainId);
        Assert.Equal("boom", error.Exception.Message);
        Assert.Equal(new[] { 1, 2 }, await grain.CallAsync(g => g.Seen())); // same activation, state kept
        Assert.Equal(1, probe.Created);
    }

    [Fact]
    public async Task AFailedActivationFailsItsCallsAndTheNextCallActivatesAgain()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe);
        var grain = runtime.Get<FlakyGrain>("x");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.CallAsync(g => g.Hello()));

        Assert.Equal("activation failed", error.Message);
        Assert.Equal("hello", await grain.CallAsync(g => g.Hello()));
        Assert.Equal(2, probe.Activations);
    }

    [Fact]
    public async Task ACancelledQueuedCallIsWithdrawn()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe);
        var grain = runtime.Get<RecordingGrain>("cancel");
        var gate = Probe.NewSignal();
        using var cts = new CancellationTokenSource();

        var blocked = grain.CallAsync(g => g.Block(gate.Task));
        var withdrawn = grain.CallAsync(g => g.Record(1), cts.Token);
        var kept = grain.CallAsync(g => g.Record(2));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => withdrawn);
        gate.SetResult();
        await Task.WhenAll(blocked, kept).WaitAsync(Guard);

        Assert.Equal(new[] { 2 }, await grain.CallAsync(g => g.Seen()));
    }

    [Fact]
    public async Task NotificationCyclesDoNotDeadlock()
    {
        await using var runtime = NewRuntime(new Probe());
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);

        runtime.Get<BallGrain>("A").Tell(b => b.Hit(1, 10_000, done));

        Assert.Equal(10_000, await done.Task.WaitAsync(Guard));
        Assert.Equal(5_000, await runtime.Get<BallGrain>("A").CallAsync(b => b.GetHits()));
        Assert.Equal(5_000, await runtime.Get<BallGrain>("B").CallAsync(b => b.GetHits()));
    }

    [Fact]
    public async Task AnAwaitedCallCycleFailsFastAndNamesTheCycle()
    {
        await using var runtime = NewRuntime(new Probe());
        var a = runtime.Get<CycleAGrain>("k");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => a.CallAsync(g => g.CallB()).WaitAsync(Guard));
        var self = await Assert.ThrowsAsync<InvalidOperationException>(
            () => a.CallAsync(g => g.CallSelf()).WaitAsync(Guard));

        Assert.Contains("CycleAGrain/k -> CycleBGrain/k -> CycleAGrain/k", error.Message);
        Assert.Contains("CycleAGrain/k -> CycleAGrain/k", self.Message);
        Assert.Equal("hello from A", await a.CallAsync(g => g.Hello())); // both still work
    }

    [Fact]
    public async Task CallChainsWithoutACycleAreAllowed()
    {
        await using var runtime = NewRuntime(new Probe());
        var a = runtime.Get<CycleAGrain>("k");
        var b = runtime.Get<CycleBGrain>("k");
        var viaTell = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);

        Assert.Equal("B+C", await a.CallAsync(g => g.CallBThenC()).WaitAsync(Guard));
        Assert.Equal("hello from A", await b.CallAsync(g => g.CallA()).WaitAsync(Guard)); // A is not waiting now
        await a.CallAsync(g => g.TellB(viaTell));
        Assert.Equal("hello from A", await viaTell.Task.WaitAsync(Guard)); // a notification starts a new chain
    }

    [Fact]
    public async Task GettingAnUnregisteredGrainFailsClearly()
    {
        await using var runtime = new GrainRuntime();

        var error = Assert.Throws<InvalidOperationException>(() => runtime.Get<RecordingGrain>("x"));

        Assert.Contains("Register<RecordingGrain>", error.Message);
    }
}
