using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Persistence;
using Steep.Persistence.InMemory;
using Steep.Persistence.Sqlite;

using Steep.Grains.Tests.Support;

namespace Steep.Grains.Tests.Lazy;

/// <summary>
/// Lazy unrolling in a real silo: a submission never has more chains registered than its window, ends with every
/// result, and a windowed submission interrupted mid-way resumes from its stored steps (the same chains, no successful one again).
/// </summary>
public sealed class LazyUnrollingTests : IAsyncDisposable
{
    private static readonly IReadOnlyList<Service> Services = TestServices.All;

    private readonly List<IHost> _silos = [];

    private static string ForEach(int n) => $$"""
        api: 4.0.0
        vars: [{id: items, value: [{{string.Join(", ", Enumerable.Range(0, n).Select(i => $"f{i}"))}}]}, {id: x}, {id: y}, {id: copies}]
        actions:
          - type: for
            input: items
            enumerator: x
            output: copies
            yieldToOutput: y
            actions: [{id: copy, type: execute, service: cp, inputs: [{id: i, var: x}], outputs: [{id: o, var: y}]}]
        """;

    [Fact]
    public async Task A_for_each_of_10000_items_with_a_window_of_100_never_has_more_than_100_chains_registered_and_ends_with_every_result()
    {
        var memory = new InMemoryStore();
        var watched = new RegisteredWatch(memory);
        var submissions = Proxy<ISubmissionStore>.Wrap(memory, after: watched.AfterCall);
        var executor = new CopyExecutor();
        var grains = await StartSiloAsync(submissions, memory, executor, window: 100, agents: 4);

        var id = await GrainRuns.SubmitAsync(grains, submissions, ForEach(10_000));
        var s = await GrainRuns.WaitFinalAsync(submissions, id, TimeSpan.FromMinutes(3));

        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(10_000, s.SucceededProcessChains);
        Assert.Equal(10_000, s.TotalProcessChains);
        Assert.InRange(watched.MaxRegistered, 1, 100);
        Assert.True(watched.Commits > 100, $"{watched.Commits} steps: the items were not unrolled in windows");
        var copies = s.Results!["copies"];
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"/out/f{i}").Order(), copies.Order());
        Assert.Equal(10_000, executor.Completed.Count);
    }

    [Fact]
    public async Task Chains_that_finish_while_many_others_are_open_are_fed_to_the_generator_together_and_every_result_arrives()
    {
        // a step per finished chain (its journal row, a scheduler call) cost about as much CPU as running a short chain
        var memory = new InMemoryStore();
        var watched = new RegisteredWatch(memory);
        var submissions = Proxy<ISubmissionStore>.Wrap(memory, after: watched.AfterCall);
        var executor = new CopyExecutor();
        var grains = await StartSiloAsync(submissions, memory, executor, window: 5000, agents: 2);

        var id = await GrainRuns.SubmitAsync(grains, submissions, ForEach(3000));
        var s = await GrainRuns.WaitFinalAsync(submissions, id, TimeSpan.FromMinutes(2));

        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(3000, s.SucceededProcessChains);
        Assert.Equal(Enumerable.Range(0, 3000).Select(i => $"/out/f{i}").Order(), s.Results!["copies"].Order());
        Assert.True(watched.Commits < 300, $"{watched.Commits} generator steps for 3,000 chains: finished chains were not gathered");
    }

    [Fact]
    public async Task A_windowed_submission_interrupted_mid_way_resumes_from_its_steps_and_reruns_no_stored_success()
    {
        var dir = Directory.CreateTempSubdirectory("steep-lazy-");
        var path = Path.Combine(dir.FullName, "steep.db");
        try
        {
            // first silo: runs until 300 chains have finished, then "crashes": the store takes no more writes
            var crash = new CrashSwitch();
            string id;
            var first = new CopyExecutor { StopAfter = 300 };
            await using (var store = new SqliteStore(path))
            {
                var submissions = Proxy<ISubmissionStore>.Wrap(store, before: crash.Before);
                var chains = Proxy<IProcessChainStore>.Wrap(store, before: crash.Before);
                var grains = await StartSiloAsync(submissions, chains, first, window: 50, agents: 3);
                id = await GrainRuns.SubmitAsync(grains, submissions, ForEach(1000));
                await first.Stopped.Task.WaitAsync(TimeSpan.FromMinutes(1));
                crash.Crashed = true;
                await StopSilosAsync();
                first.Release();
            }

            // second silo on the same database: as `steep resume` does, RUNNING chains go back to REGISTERED
            var second = new CopyExecutor();
            await using (var store = new SqliteStore(path))
            {
                var beforeResume = await ((IProcessChainStore)store).ListBySubmissionAsync(id, null, default);
                var doneBefore = beforeResume.Where(c => c.Chain.Status == ProcessChainStatus.Success)
                    .SelectMany(c => c.Chain.Executables.Select(e => e.Id)).ToHashSet();
                // (the last few successes may have been lost with the crash: those run again, at least once)
                Assert.InRange(doneBefore.Count, 200, 300);
                Assert.InRange(beforeResume.Count, doneBefore.Count, doneBefore.Count + 50); // only a window beyond them was registered
                var running = await ((IProcessChainStore)store).ListByStatusAsync(ProcessChainStatus.Running, default);
                await ((IProcessChainStore)store).UpdateManyAsync(
                    running.Select(c => new ProcessChainUpdate(c.Chain.Id) { Status = ProcessChainStatus.Registered, Reset = true }).ToList(), default);

                var grains = await StartSiloAsync(store, store, second, window: 50, agents: 3);
                await grains.GetGrain<ISubmissionGrain>(id).StartAsync();
                var s = await GrainRuns.WaitFinalAsync(store, id, TimeSpan.FromMinutes(2));

                Assert.Equal(SubmissionStatus.Success, s.Status);
                var counts = await ((IProcessChainStore)store).CountByStatusAsync(id, default);
                Assert.Equal(1000, counts.Values.Sum()); // the replay re-made the same chains, no new ones beside them
                Assert.Equal(1000, counts[ProcessChainStatus.Success]);
                Assert.Equal(Enumerable.Range(0, 1000).Select(i => $"/out/f{i}").Order(), s.Results!["copies"].Order());
                // what was stored SUCCESS before the crash never ran again; everything else ran after it, once
                Assert.DoesNotContain(second.Completed, doneBefore.Contains);
                Assert.Equal(1000 - doneBefore.Count, second.Completed.Count);
                Assert.Equal(1000, doneBefore.Concat(second.Completed).Distinct().Count());
                await StopSilosAsync();
            }
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_workflow_declaring_more_for_each_iterations_than_the_limit_is_rejected_naming_the_key_and_nothing_is_stored()
    {
        var memory = new InMemoryStore();
        var services = new SteepServices(memory, memory, Services, new SteepPaths("/tmp/t", "/out", "/tmp/l"), new CopyExecutor(),
            new EventHub(), TimeProvider.System) { MaxForEachItems = 1000 };
        var intake = new SubmissionIntake(services, null!); // rejected before any grain is asked

        var e = await Assert.ThrowsAsync<Core.Validation.WorkflowRejectedException>(
            () => intake.SubmitAsync(ModelReader.ReadWorkflow(ForEach(1001), "wf"), default));
        var problem = Assert.Single(e.Problems);
        Assert.Contains("more than 1,000 iterations", problem);
        Assert.Contains("steep.http.maxForEachItems", problem);
        Assert.Equal(0, (await ((ISubmissionStore)memory).ListAsync(0, 10, null, default)).Total);
    }

    private async Task<IGrainFactory> StartSiloAsync(ISubmissionStore submissions, IProcessChainStore chains, IProcessChainExecutor executor,
        int window, int agents)
    {
        var services = new SteepServices(submissions, chains, Services, new SteepPaths("/tmp/t", "/out", "/tmp/l"), executor,
            new EventHub(), TimeProvider.System) { MaxRegisteredChains = window };
        var host = await TestSilo.StartAsync(services, "lazy");
        _silos.Add(host);
        var grains = host.Services.GetRequiredService<IGrainFactory>();
        for (int i = 0; i < agents; i++) await grains.GetGrain<IAgentGrain>($"agent-{_silos.Count}-{i}").RegisterAsync([]);
        return grains;
    }

    private async Task StopSilosAsync()
    {
        foreach (var silo in _silos)
        {
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await silo.StopAsync(cts.Token);
            silo.Dispose();
        }
        _silos.Clear();
    }

    public async ValueTask DisposeAsync() => await StopSilosAsync();

    /// <summary>Copies (outputs: the output path); from the (StopAfter+1)th chain on, waits until released or cancelled.</summary>
    private sealed class CopyExecutor : IProcessChainExecutor
    {
        private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _started;

        public int StopAfter { get; init; } = int.MaxValue;
        public TaskCompletionSource Stopped { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public ConcurrentQueue<string> Completed { get; } = new(); // executable ids of the chains that succeeded

        public void Release() => _release.TrySetResult();

        public async Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct)
        {
            if (Interlocked.Increment(ref _started) > StopAfter)
            {
                Stopped.TrySetResult();
                try { await _release.Task.WaitAsync(ct); } catch (OperationCanceledException) { }
                return new ProcessChainOutcome(ProcessChainStatus.Cancelled, null, "stopped", []);
            }
            await Task.Yield();
            var results = chain.Executables.SelectMany(e => e.Arguments).Where(a => a.Type == "output")
                .ToDictionary(a => a.Variable.Id, a => (IReadOnlyList<string>)["/out/" + InputOf(chain)]);
            foreach (var e in chain.Executables) Completed.Enqueue(e.Id);
            return new ProcessChainOutcome(ProcessChainStatus.Success, results, null, chain.Executables.Select(e => e.Id).ToList());
        }

        private static string InputOf(ProcessChain chain) => chain.Executables[0].Arguments.First(a => a.Type == "input").Variable.Value;
    }

    /// <summary>Watches the REGISTERED chains after every step's commit (the only write that registers chains).</summary>
    private sealed class RegisteredWatch(InMemoryStore store)
    {
        private int _max, _commits;

        public int MaxRegistered => Volatile.Read(ref _max);
        public int Commits => Volatile.Read(ref _commits);

        public async Task AfterCall(MethodInfo method, object?[] args)
        {
            if (method.Name != nameof(ISubmissionStore.CommitStepAsync)) return;
            Interlocked.Increment(ref _commits);
            var counts = await ((IProcessChainStore)store).CountByStatusAsync((string)args[0]!, default);
            int registered = counts.GetValueOrDefault(ProcessChainStatus.Registered);
            int seen;
            while (registered > (seen = Volatile.Read(ref _max)) && Interlocked.CompareExchange(ref _max, registered, seen) != seen) { }
        }
    }

    /// <summary>Once crashed, every write fails as it would in a process that is gone; reads still work.</summary>
    private sealed class CrashSwitch
    {
        public volatile bool Crashed;

        public void Before(MethodInfo method)
        {
            if (Crashed && !method.Name.StartsWith("Get", StringComparison.Ordinal) && !method.Name.StartsWith("List", StringComparison.Ordinal)
                && !method.Name.StartsWith("Count", StringComparison.Ordinal))
                throw new IOException("the process is gone");
        }
    }
}
