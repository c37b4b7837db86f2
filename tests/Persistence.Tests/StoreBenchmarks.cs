using System.Diagnostics;
using Steep.Core.Models;
using Steep.Persistence.InMemory;
using Steep.Persistence.Sqlite;
using Xunit;
using Xunit.Abstractions;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>Runs the benchmarks alone, so that other tests do not share the cores with them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BenchmarkCollection
{
    /// <summary>The collection's name.</summary>
    public const string Name = "benchmarks";
}

/// <summary>Figures for the report (printed, never asserted): a large step, single-chain updates, big reads.</summary>
[Collection(BenchmarkCollection.Name)]
public sealed class StoreBenchmarks(ITestOutputHelper output)
{
    private static CancellationToken Ct => CancellationToken.None;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("memory")]
    public async Task Commit_100000_chains_then_run_5000_chains_one_update_at_a_time(string kind)
    {
        const int n = 100_000, run = 5_000;
        var directory = Path.Combine(Path.GetTempPath(), "steep-bench-" + Guid.NewGuid().ToString("N"));
        object store = kind == "sqlite" ? new SqliteStore(Path.Combine(directory, "steep.db")) : new InMemoryStore();
        try
        {
            var submissions = (ISubmissionStore)store;
            var chains = (IProcessChainStore)store;
            await submissions.AddAsync(NewSubmission("s1"), Ct);
            var newChains = NewChains("c", n, executables: 2);

            // CPU time next to wall time: on a shared machine the wall clock also measures the neighbours.
            var watch = Stopwatch.StartNew();
            var cpu = CpuTime();
            await submissions.CommitStepAsync("s1", Step(1), newChains, Ct);
            var commit = watch.Elapsed;
            output.WriteLine($"{kind}: CommitStepAsync of {n:N0} chains (2 executables each): " +
                $"{commit.TotalMilliseconds:F0} ms = {n / commit.TotalSeconds:N0} chains/s (process CPU {(CpuTime() - cpu).TotalMilliseconds:F0} ms)");

            watch.Restart();
            cpu = CpuTime();
            for (int i = 0; i < run; i++)
            {
                await chains.UpdateAsync(new ProcessChainUpdate($"c{i}")
                {
                    Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "agent", RunNumber = 1,
                }, Ct);
                await chains.UpdateAsync(new ProcessChainUpdate($"c{i}")
                {
                    Status = ProcessChainStatus.Success, EndTime = T0, Results = ResultFiles($"/out/{i}"),
                }, Ct);
            }
            var updates = watch.Elapsed;
            output.WriteLine($"{kind}: {2 * run:N0} single-chain UpdateAsync calls ({run:N0} chains RUNNING then SUCCESS): " +
                $"{updates.TotalMilliseconds:F0} ms = {updates.TotalMicroseconds / (2 * run):F1} µs per update (process CPU {(CpuTime() - cpu).TotalMilliseconds:F0} ms)");

            watch.Restart();
            var submission = (await submissions.GetAsync("s1", Ct))!;
            var get = watch.Elapsed;
            watch.Restart();
            var page = await chains.ListAsync("s1", ProcessChainStatus.Registered, 0, 10, false, Ct);
            var list = watch.Elapsed;
            watch.Restart();
            cpu = CpuTime();
            var registered = await chains.ListByStatusAsync(ProcessChainStatus.Registered, Ct);
            var all = watch.Elapsed;
            var allCpu = CpuTime() - cpu;
            output.WriteLine($"{kind}: GetAsync(submission) with counts: {get.TotalMilliseconds:F2} ms; first page of chains: " +
                $"{list.TotalMilliseconds:F2} ms; ListByStatusAsync of {registered.Count:N0} chains: {all.TotalMilliseconds:F0} ms (process CPU {allCpu.TotalMilliseconds:F0} ms)");

            Assert.Equal((n, run), (submission.TotalProcessChains, submission.SucceededProcessChains));
            Assert.Equal(n - run, page.Total);
            Assert.Equal(n - run, registered.Count);
        }
        finally
        {
            if (store is IAsyncDisposable d) await d.DisposeAsync();
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
