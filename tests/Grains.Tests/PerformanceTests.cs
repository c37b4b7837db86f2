using System.Diagnostics;
using Steep.Grains.Runtime;
using Steep.Grains.Tests.TestGrains;

namespace Steep.Grains.Tests;

/// <summary>Keeps the micro-benchmark away from the other tests, which would distort it.</summary>
[CollectionDefinition(nameof(PerformanceCollection), DisableParallelization = true)]
public sealed class PerformanceCollection;

/// <summary>Measures the cost of a call (printed, not asserted: the machines vary).</summary>
[Collection(nameof(PerformanceCollection))]
public sealed class PerformanceTests(ITestOutputHelper output)
{
    [Fact]
    public async Task SequentialAwaitedCallsPerSecond()
    {
        const int calls = 100_000;
        await using var runtime = new GrainRuntime();
        runtime.Register(_ => new RecordingGrain(new Probe()));
        var grain = runtime.Get<RecordingGrain>("perf");
        for (var i = 0; i < 10_000; i++) await grain.CallAsync(static g => g.Increment()); // warm-up

        var watch = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) await grain.CallAsync(static g => g.Increment());
        watch.Stop();

        var tells = Stopwatch.StartNew();
        for (var i = 0; i < calls; i++) grain.Tell(static g => g.Increment());
        var total = await grain.CallAsync(static g => g.Increment());
        tells.Stop();

        Assert.Equal(10_000 + 2 * calls + 1, total);
        output.WriteLine(
            $"{calls:N0} sequential awaited calls: {watch.Elapsed.TotalMilliseconds:N0} ms = " +
            $"{calls / watch.Elapsed.TotalSeconds:N0} calls/s ({watch.Elapsed.TotalMicroseconds / calls:N2} µs per call)");
        output.WriteLine(
            $"{calls:N0} one-way notifications: {tells.Elapsed.TotalMilliseconds:N0} ms = " +
            $"{calls / tells.Elapsed.TotalSeconds:N0} notifications/s");
    }
}
