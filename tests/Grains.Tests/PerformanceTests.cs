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

        // Task.Run: xunit's synchronization context would send every continuation to its own threads and the
        // figure would measure xunit; a grain, a controller or a request handler awaits on the thread pool
        var (callTime, tellTime, total) = await Task.Run(async () =>
        {
            // warm-up by time, not count: the JIT's tier-up compiles in the background, later on a loaded machine
            var warmUp = 0;
            var watch = Stopwatch.StartNew();
            while (watch.ElapsedMilliseconds < 500 || warmUp < 20_000)
            {
                await grain.CallAsync(static g => g.Increment());
                warmUp++;
            }
            watch.Restart();
            for (var i = 0; i < calls; i++) await grain.CallAsync(static g => g.Increment());
            var callTime = watch.Elapsed;

            watch.Restart();
            for (var i = 0; i < calls; i++) grain.Tell(static g => g.Increment());
            var total = await grain.CallAsync(static g => g.Increment());
            return (callTime, watch.Elapsed, total - warmUp);
        });

        Assert.Equal(2 * calls + 1, total);
        output.WriteLine(
            $"{calls:N0} sequential awaited calls on one grain: {callTime.TotalMilliseconds:N0} ms = " +
            $"{calls / callTime.TotalSeconds:N0} calls/s ({callTime.TotalMicroseconds / calls:N2} µs per call)");
        output.WriteLine(
            $"{calls:N0} one-way notifications: {tellTime.TotalMilliseconds:N0} ms = " +
            $"{calls / tellTime.TotalSeconds:N0} notifications/s");
    }
}
