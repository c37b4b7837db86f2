using Steep.Grains.Runtime;
using Steep.Grains.Tests.TestGrains;

namespace Steep.Grains.Tests;

/// <summary>Activation lifecycle: idle deactivation, races with it, timers, stop.</summary>
public sealed class LifecycleTests
{
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(10); // fails a hang instead of waiting forever
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(1);

    private static GrainRuntime NewRuntime(Probe probe, ManualTimeProvider time, TimeSpan? idle = null)
    {
        var runtime = new GrainRuntime(new GrainRuntimeOptions
        {
            IdleTimeout = idle ?? Idle,
            IdleCheckInterval = TimeSpan.FromSeconds(10),
            TimeProvider = time,
        });
        runtime.Register(_ => new RecordingGrain(probe));
        runtime.Register(_ => new TimerGrain(probe));
        return runtime;
    }

    [Fact]
    public async Task AnIdleGrainIsDeactivatedAndAFreshOneServesTheNextCall()
    {
        var probe = new Probe();
        var time = new ManualTimeProvider();
        await using var runtime = NewRuntime(probe, time);
        var grain = runtime.Get<RecordingGrain>("idle");
        await grain.CallAsync(g => g.Record(7));

        time.Advance(TimeSpan.FromSeconds(50)); // the idle checks run inside Advance: not idle long enough yet
        Assert.Equal(0, probe.Deactivations);
        Assert.Equal(new[] { 7 }, await grain.CallAsync(g => g.Seen())); // and this call counts as activity

        time.Advance(TimeSpan.FromSeconds(50));
        Assert.Equal(0, probe.Deactivations);
        time.Advance(TimeSpan.FromSeconds(20));
        await probe.Deactivated.Task.WaitAsync(Guard);

        Assert.Equal(1, probe.Deactivations);
        Assert.Empty(await grain.CallAsync(g => g.Seen())); // state re-initialised by OnActivateAsync
        Assert.Equal(2, await grain.CallAsync(g => g.Number()));
        Assert.Equal(2, probe.Created);
    }

    [Fact]
    public async Task ACallDuringDeactivationRunsOnAFreshActivation()
    {
        var probe = new Probe();
        var time = new ManualTimeProvider();
        await using var runtime = NewRuntime(probe, time);
        var grain = runtime.Get<RecordingGrain>("race");
        var gate = Probe.NewSignal();
        probe.DeactivationGate = gate.Task;
        Assert.Equal(1, await grain.CallAsync(g => g.Number()));

        time.Advance(Idle + TimeSpan.FromSeconds(10));
        await probe.Deactivating.Task.WaitAsync(Guard); // OnDeactivateAsync has begun and is held open
        var call = grain.CallAsync(g => g.Number());
        var tell = Probe.NewSignal();
        grain.Tell(g => { tell.SetResult(); return Task.CompletedTask; });
        gate.SetResult();

        Assert.Equal(2, await call.WaitAsync(Guard));
        await tell.Task.WaitAsync(Guard);
        Assert.Equal(1, probe.MaxLive); // the fresh activation began after the old one ended
    }

    [Fact]
    public async Task CallsRacingWithIdleDeactivationAreNeverLost()
    {
        var probe = new Probe();
        var time = new ManualTimeProvider();
        var runtime = NewRuntime(probe, time);
        var grain = runtime.Get<RecordingGrain>("stress");

        for (var i = 0; i < 300; i++)
        {
            await grain.CallAsync(g => g.Nop()).WaitAsync(Guard);
            var advance = Task.Run(() => time.Advance(Idle + TimeSpan.FromSeconds(10)));
            var call = grain.CallAsync(g => g.Record(i));
            await advance;
            await call.WaitAsync(Guard);
        }
        await runtime.StopAsync().WaitAsync(Guard);

        Assert.Equal(1, probe.MaxLive);
        Assert.Equal(probe.Activations, probe.Deactivations);
        Assert.Equal(300, probe.Entries().Count(e => e.StartsWith("record", StringComparison.Ordinal)));
        Assert.Equal(0, runtime.ActivationCount);
    }

    [Fact]
    public async Task DeactivateOnIdleEndsTheActivationAfterTheTurn()
    {
        var probe = new Probe();
        await using var runtime = NewRuntime(probe, new ManualTimeProvider());
        var grain = runtime.Get<RecordingGrain>("quit");
        await grain.CallAsync(g => g.Record(1));

        await grain.CallAsync(g => g.Quit());
        await probe.Deactivated.Task.WaitAsync(Guard);

        Assert.Empty(await grain.CallAsync(g => g.Seen()));
        Assert.Equal(2, await grain.CallAsync(g => g.Number()));
    }

    [Fact]
    public async Task TimerCallbacksRunAsTurns()
    {
        var probe = new Probe();
        var time = new ManualTimeProvider();
        await using var runtime = NewRuntime(probe, time, Timeout.InfiniteTimeSpan);
        var errors = new List<GrainErrorEventArgs>();
        runtime.UnhandledException += (_, e) => { lock (errors) errors.Add(e); };
        var grain = runtime.Get<TimerGrain>("t");
        await grain.CallAsync(g => g.Call("first call"));
        Assert.Equal(1, time.TimerCount);

        var gate = Probe.NewSignal();
        probe.TimerGate = gate.Task;
        time.Advance(TimeSpan.FromSeconds(1));
        await probe.TimerEntered.Task.WaitAsync(Guard); // the tick's turn is running and held open
        var call = grain.CallAsync(g => g.Call("second call"));
        time.Advance(TimeSpan.FromSeconds(1)); // a tick while one runs is skipped, not stacked
        gate.SetResult();
        await call.WaitAsync(Guard);
        Assert.True(await probe.TimerDone.WaitAsync(Guard));

        Assert.Equal(["first call", "tick start", "tick end", "second call"], probe.Entries());
        Assert.Equal(1, await grain.CallAsync(g => g.GetTicks()));

        Assert.Equal(2, await TickAsync());
        Assert.Equal(3, await TickAsync()); // the third tick throws: reported, and the timer goes on
        Assert.Equal(4, await TickAsync());
        Assert.Equal(0, probe.Violations);
        lock (errors) Assert.Equal(GrainErrorSource.Timer, Assert.Single(errors).Source);

        await grain.CallAsync(g => g.Quit());
        await probe.Deactivated.Task.WaitAsync(Guard);
        Assert.Equal(0, time.TimerCount); // disposed with the activation

        async Task<int> TickAsync()
        {
            time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(await probe.TimerDone.WaitAsync(Guard));
            // a call queued behind the tick's turn also waits for the tick's end, after which the timer may tick again
            return await grain.CallAsync(g => g.GetTicks());
        }
    }

    [Fact]
    public async Task StopDrainsQueuedCallsRefusesNewOnesAndDeactivatesEverything()
    {
        var probe = new Probe();
        var runtime = NewRuntime(probe, new ManualTimeProvider());
        var refused = Probe.NewSignal();
        runtime.UnhandledException += (_, e) => { if (e.Source == GrainErrorSource.Tell) refused.TrySetResult(); };
        var busy = runtime.Get<RecordingGrain>("busy");
        await runtime.Get<RecordingGrain>("idle").CallAsync(g => g.Nop());
        var gate = Probe.NewSignal();
        var blocked = busy.CallAsync(g => g.Block(gate.Task));
        var queued = Enumerable.Range(0, 5).Select(i => busy.CallAsync(g => g.Record(i))).ToArray();

        var stop = runtime.StopAsync();
        Assert.True(runtime.IsStopping);
        Assert.False(stop.IsCompleted); // busy still has calls to finish
        await Assert.ThrowsAsync<InvalidOperationException>(() => busy.CallAsync(g => g.Nop()));
        await Assert.ThrowsAsync<InvalidOperationException>(() => runtime.Get<RecordingGrain>("new").CallAsync(g => g.Nop()));
        busy.Tell(g => g.Nop());
        await refused.Task.WaitAsync(Guard);
        gate.SetResult();
        await stop.WaitAsync(Guard);

        await Task.WhenAll(queued.Append(blocked)); // all queued calls finished successfully
        Assert.Equal(["block start", "block end", "record 0", "record 1", "record 2", "record 3", "record 4"],
            probe.Entries());
        Assert.Equal(2, probe.Deactivations);
        Assert.Equal(0, runtime.ActivationCount);
        await runtime.DisposeAsync(); // a second stop is harmless
    }
}
