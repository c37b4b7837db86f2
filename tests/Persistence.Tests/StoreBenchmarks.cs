using System.Diagnostics;
using Steep.Core.Models;
using Steep.Persistence.InMemory;
using Steep.Persistence.Postgres;
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

    /// <summary>
    /// The registry figures of SQLite and PostgreSQL side by side: a 10,000-chain step, 10,000 single-chain status
    /// updates, and the latency of a page of chains (as GET /processchains reads it) once 100,000 chains are stored.
    /// </summary>
    [SkippableTheory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task Registry_step_updates_and_page_latency(string kind)
    {
        const int step = 10_000, updates = 10_000, stored = 100_000, pages = 200;
        Skip.If(kind == "postgres" && PostgresServer.Skipped, PostgresServer.SkipReason);
        var directory = Path.Combine(Path.GetTempPath(), "steep-bench-" + Guid.NewGuid().ToString("N"));
        var databaseName = "steep_bench_" + Guid.NewGuid().ToString("N")[..12];
        PostgresServer? server = null;
        var connectionString = "";
        object store;
        var floor = "";
        if (kind == "sqlite") store = new SqliteStore(Path.Combine(directory, "steep.db"));
        else
        {
            server = await PostgresServer.GetAsync();
            connectionString = await server.CreateDatabaseAsync(databaseName);
            store = await PostgresStore.OpenAsync(connectionString, ct: Ct);
            // the floor under every call: a round trip to the server with a pooled connection and a prepared statement
            await using var dataSource = Npgsql.NpgsqlDataSource.Create(connectionString + ";Max Auto Prepare=4");
            var roundTrips = Stopwatch.StartNew();
            for (int i = 0; i < updates; i++)
            {
                await using var connection = await dataSource.OpenConnectionAsync(Ct);
                await using var select = new Npgsql.NpgsqlCommand("SELECT 1", connection);
                await select.ExecuteScalarAsync(Ct);
            }
            floor = $"; round-trip floor, SELECT 1: {roundTrips.Elapsed.TotalMicroseconds / updates:F0} µs";
        }
        try
        {
            var submissions = (ISubmissionStore)store;
            var chains = (IProcessChainStore)store;
            await submissions.AddAsync(NewSubmission("s1"), Ct);
            var batches = Enumerable.Range(0, stored / step).Select(b => NewChains($"c{b}-", step, executables: 2)).ToList();

            var watch = Stopwatch.StartNew();
            await submissions.CommitStepAsync("s1", Step(1), batches[0], Ct);
            var commit = watch.Elapsed;

            watch.Restart();
            for (int i = 0; i < updates; i++)
            {
                await chains.UpdateAsync(new ProcessChainUpdate($"c0-{i}") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "agent", RunNumber = 1 }, Ct);
            }
            var update = watch.Elapsed;

            // The same number of status changes from 16 callers at once (agents reporting in a cluster): SQLite shares
            // its transactions among waiting writers, PostgreSQL runs them on pooled connections side by side.
            const int callers = 16;
            watch.Restart();
            await Task.WhenAll(Enumerable.Range(0, callers).Select(t => Task.Run(async () =>
            {
                for (int i = t; i < updates; i += callers)
                    await chains.UpdateAsync(new ProcessChainUpdate($"c0-{i}") { Status = ProcessChainStatus.Success, EndTime = T0 }, Ct);
            })));
            var concurrent = watch.Elapsed;

            for (int b = 1; b < batches.Count; b++) await submissions.CommitStepAsync("s1", Step(b + 1), batches[b], Ct);
            var first = await MedianAsync(() => chains.ListAsync("s1", null, 0, 10, true, Ct));
            var deep = await MedianAsync(() => chains.ListAsync("s1", null, stored / 2, 10, true, Ct));
            var byStatus = await MedianAsync(() => chains.ListAsync("s1", ProcessChainStatus.Registered, 0, 10, false, Ct));
            var submission = await MedianAsync(() => submissions.GetAsync("s1", Ct));
            var analyzed = "";
            if (server is not null)
            {
                // A table loaded in the last seconds has no statistics yet (autovacuum analyzes it within a minute or
                // so): the planner then expects a handful of REGISTERED chains and sorts all 90,000 instead of
                // walking the index. The same page once the statistics exist:
                await using (var connection = new Npgsql.NpgsqlConnection(connectionString))
                {
                    await connection.OpenAsync(Ct);
                    await using var analyze = new Npgsql.NpgsqlCommand("ANALYZE steep.process_chains", connection);
                    await analyze.ExecuteNonQueryAsync(Ct);
                }
                var afterAnalyze = await MedianAsync(() => chains.ListAsync("s1", ProcessChainStatus.Registered, 0, 10, false, Ct));
                analyzed = $" ({afterAnalyze:F2} ms once analyzed)";
            }
            output.WriteLine($"{kind}: commit of a {step:N0}-chain step {commit.TotalMilliseconds:F0} ms; " +
                $"{updates:N0} single-chain status updates {update.TotalMilliseconds:F0} ms ({update.TotalMicroseconds / updates:F0} µs each{floor}), " +
                $"from {callers} callers at once {concurrent.TotalMilliseconds:F0} ms; " +
                $"at {stored:N0} chains, median of {pages}: first page {first:F2} ms, page at offset {stored / 2:N0} {deep:F2} ms, " +
                $"first REGISTERED page {byStatus:F2} ms{analyzed}, submission with counts {submission:F2} ms");

            Assert.Equal((stored, updates), ((await submissions.GetAsync("s1", Ct))!.TotalProcessChains, (await chains.CountByStatusAsync("s1", Ct))[ProcessChainStatus.Success]));
        }
        finally
        {
            if (store is IAsyncDisposable d) await d.DisposeAsync();
            if (server is not null) await server.DropDatabaseAsync(databaseName);
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }

        static async Task<double> MedianAsync<T>(Func<Task<T>> call)
        {
            var times = new double[pages];
            for (int i = 0; i < pages; i++)
            {
                var watch = Stopwatch.StartNew();
                await call();
                times[i] = watch.Elapsed.TotalMilliseconds;
            }
            Array.Sort(times);
            return times[pages / 2];
        }
    }

    private static TimeSpan CpuTime()
    {
        using var process = Process.GetCurrentProcess();
        return process.TotalProcessorTime;
    }
}
