using System.Collections.Concurrent;
using Steep.Agent;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Contracts;
using Steep.Grains;
using Steep.Grains.Placement;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Steep.Persistence.InMemory;

using Steep.Grains.Tests.Support;

namespace Steep.Grains.Tests.Steep;

/// <summary>The Steep grains together in a real Orleans silo, over the in-memory store and a scripted executor (no processes).</summary>
public sealed class SteepGrainsTests : IAsyncLifetime
{
    private readonly InMemoryStore _store = new();
    private readonly StartWriteFailures _chains;
    private readonly ScriptedExecutor _executor = new();
    private readonly EventHub _events = new();
    private IHost _silo = null!;
    private IGrainFactory _grains = null!;

    private static readonly IReadOnlyList<Service> Services = TestServices.All;

    public SteepGrainsTests() => _chains = new StartWriteFailures(_store);

    public async Task InitializeAsync()
    {
        var services = new SteepServices(_store, _chains, Services, new SteepPaths("/tmp/t", "/tmp/o", "/tmp/l"), _executor, _events, TimeProvider.System);
        _silo = await TestSilo.StartAsync(services, "grains", s => s.AddSingleton<SubmissionIntake>());
        _grains = _silo.Services.GetRequiredService<IGrainFactory>();
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }


    private Task Agent(string id, params string[] capabilities) => _grains.GetGrain<IAgentGrain>(id).RegisterAsync(capabilities);

    private async Task<string> Submit(string yaml)
    {
        var wf = ModelReader.ReadWorkflow(yaml, "wf");
        var id = UniqueIds.Next(TimeProvider.System);
        await ((Persistence.ISubmissionStore)_store).AddAsync(new Submission { Id = id, Workflow = wf, Status = SubmissionStatus.Accepted }, default);
        await _grains.GetGrain<ISubmissionGrain>(id).StartAsync();
        return id;
    }

    private async Task<Submission> WaitFinal(string id, TimeSpan? timeout = null)
    {
        var until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            var s = await ((Persistence.ISubmissionStore)_store).GetAsync(id, default);
            if (s is not null && SubmissionStatus.IsFinal(s.Status) && s.EndTime is not null) return s;
            Assert.True(DateTime.UtcNow < until, $"submission still {s?.Status}");
            await Task.Delay(10);
        }
    }

    private const string Chain = """
        api: 4.0.0
        vars:
          - {id: a, value: a.txt}
          - {id: b}
          - {id: c}
        actions:
          - {type: execute, service: cp, inputs: [{id: i, var: a}], outputs: [{id: o, var: b}]}
          - {type: execute, service: cp, inputs: [{id: i, var: b}], outputs: [{id: o, var: c}]}
        """;

    [Fact]
    public async Task A_workflow_runs_to_success_with_its_results()
    {
        await Agent("a1");
        var id = await Submit(Chain);
        var s = await WaitFinal(id);
        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(1, s.SucceededProcessChains);
        Assert.Contains("c", s.Results!.Keys);
    }

    [Fact]
    public async Task A_failed_chain_ends_the_submission_with_error_and_its_message()
    {
        _executor.Fail = "exit code 3";
        await Agent("a1");
        var s = await WaitFinal(await Submit(Chain));
        Assert.Equal(SubmissionStatus.Error, s.Status);
        Assert.Contains("exit code 3", s.ErrorMessage);
    }

    [Fact]
    public async Task Chains_nobody_can_run_wait_without_stalling_others_and_start_when_a_fitting_agent_registers()
    {
        await Agent("plain");
        var gpuWorkflow = await Submit("""
            api: 4.0.0
            vars: [{id: a, value: a.txt}, {id: b}]
            actions: [{type: execute, service: gpu, inputs: [{id: i, var: a}], outputs: [{id: o, var: b}]}]
            """);
        var plain = await Submit(Chain);
        Assert.Equal(SubmissionStatus.Success, (await WaitFinal(plain)).Status);
        await Task.Delay(100);
        Assert.Equal(SubmissionStatus.Running, (await ((Persistence.ISubmissionStore)_store).GetAsync(gpuWorkflow, default))!.Status);
        Assert.DoesNotContain(_executor.Ran, c => c.Executables[0].ServiceId == "gpu");

        await Agent("gpu-agent", "gpu");
        Assert.Equal(SubmissionStatus.Success, (await WaitFinal(gpuWorkflow)).Status);
        var gpuChains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(gpuWorkflow, null, default);
        Assert.All(gpuChains, c => Assert.Equal("gpu-agent", c.AgentId));
    }

    [Fact]
    public async Task Cancelling_kills_the_running_chain_and_ends_cancelled()
    {
        _executor.Block = true;
        await Agent("a1");
        var id = await Submit(Chain);
        var until = DateTime.UtcNow.AddSeconds(5);
        while (_executor.Running == 0) { Assert.True(DateTime.UtcNow < until); await Task.Delay(5); }
        await _grains.GetGrain<ISubmissionGrain>(id).CancelAsync();
        var s = await WaitFinal(id);
        Assert.Equal(SubmissionStatus.Cancelled, s.Status);
        Assert.Equal(1, s.CancelledProcessChains);
    }

    [Fact]
    public async Task A_for_each_over_many_items_runs_every_chain_once_on_two_agents()
    {
        await Agent("a1");
        await Agent("a2");
        var items = string.Join(", ", Enumerable.Range(0, 200));
        var s = await WaitFinal(await Submit($$"""
            api: 4.0.0
            vars: [{id: items, value: [{{items}}]}, {id: x}, {id: y}, {id: all}]
            actions:
              - type: for
                input: items
                enumerator: x
                output: all
                yieldToOutput: y
                actions: [{type: execute, service: cp, inputs: [{id: i, var: x}], outputs: [{id: o, var: y}]}]
            """), TimeSpan.FromSeconds(30));
        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(200, s.SucceededProcessChains);
        Assert.Equal(200, _executor.Ran.Select(c => c.Id).Distinct().Count());
        Assert.Equal(200, s.Results!["all"].Count);
        var chains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(s.Id, null, default);
        Assert.Equal(2, chains.Select(c => c.AgentId).Distinct().Count());
    }

    [Fact]
    public async Task A_chain_reserved_behind_a_long_one_runs_on_an_agent_that_falls_idle()
    {
        // a1 runs item 0 (held until the gate opens) and reserves item 2 to run next; a2 runs item 1, which ends at
        // once: a2 is idle with nothing queued, and item 2 must not wait for item 0 to end
        var gate = new TaskCompletionSource();
        _executor.HoldUntil = c => Item(c) == "0" ? gate.Task : null;
        await Agent("a1");
        await Agent("a2");
        var id = await Submit(ForEach(3, null));
        await WaitUntilSucceeded(id, 2, "while item 0 runs");
        gate.SetResult();
        await AssertEachRanOnceApartAsync(id);
    }

    [Fact]
    public async Task A_reserved_chain_is_still_taken_back_after_the_agents_registered_again()
    {
        // as above, but the agents register again (as they do whenever a silo of the cluster is lost) while a1 runs
        // item 0 with item 2 reserved and a2 runs item 1: the scheduler still knows what a1 holds
        var (gate0, gate1) = (new TaskCompletionSource(), new TaskCompletionSource());
        _executor.HoldUntil = c => Item(c) switch { "0" => gate0.Task, "1" => gate1.Task, _ => null };
        await Agent("a1");
        await Agent("a2");
        var id = await Submit(ForEach(3, null));
        await WaitUntilRan(2, "at first");
        await Task.Delay(100); // item 2's reservation is on its way
        await Task.WhenAll(_grains.GetGrain<IAgentGrain>("a1").RejoinAsync(), _grains.GetGrain<IAgentGrain>("a2").RejoinAsync());
        gate1.SetResult();
        await WaitUntilSucceeded(id, 2, "after item 1, while item 0 runs");
        gate0.SetResult();
        await AssertEachRanOnceApartAsync(id);
    }

    private async Task WaitUntilRan(int count, string when)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_executor.Ran.Count < count)
        {
            Assert.True(DateTime.UtcNow < until, $"only items {string.Join(", ", _executor.Ran.Select(Item))} ran {when}");
            await Task.Delay(10);
        }
    }

    private async Task WaitUntilSucceeded(string id, int count, string when)
    {
        var until = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            var chains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(id, ProcessChainStatus.Success, default);
            if (chains.Count >= count) return;
            Assert.True(DateTime.UtcNow < until, $"only items {string.Join(", ", _executor.Ran.Select(Item))} ran {when}, {chains.Count} of them done");
            await Task.Delay(10);
        }
    }

    /// <summary>The for-each of three ended SUCCESS, each chain ran once, and item 2 did not run on item 0's agent.</summary>
    private async Task AssertEachRanOnceApartAsync(string id)
    {
        var s = await WaitFinal(id);
        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(3, s.SucceededProcessChains);
        Assert.Equal(3, _executor.Ran.Count); // none ran twice
        var chains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(id, null, default);
        Assert.All(chains, c => Assert.Equal(1, c.RunNumber));
        Assert.NotEqual(chains.Single(c => Item(c.Chain) == "0").AgentId, chains.Single(c => Item(c.Chain) == "2").AgentId);
    }

    private static string? Item(ProcessChain c) => c.Executables[0].Arguments.FirstOrDefault(a => a.Type == "input")?.Variable.Value;

    private static string ForEach(int n, int? priority) => $$"""
        api: 4.0.0
        {{(priority is { } p ? $"priority: {p}" : "")}}
        vars: [{id: items, value: [{{string.Join(", ", Enumerable.Range(0, n))}}]}, {id: x}, {id: y}]
        actions:
          - type: for
            input: items
            enumerator: x
            actions: [{type: execute, service: cp, inputs: [{id: i, var: x}], outputs: [{id: o, var: y}]}]
        """;

    [Fact]
    public async Task Waiting_chains_run_by_priority_then_in_order_of_submission_and_a_new_priority_moves_them()
    {
        var low = await Submit(ForEach(3, null));
        var high = await Submit(ForEach(3, 10));
        var raised = await Submit(ForEach(3, null));
        Assert.True(await _grains.GetGrain<ISubmissionGrain>(raised).SetPriorityAsync(5));

        await Agent("only");
        foreach (var id in new[] { low, high, raised }) Assert.Equal(SubmissionStatus.Success, (await WaitFinal(id)).Status);

        Assert.Equal([high, high, high, raised, raised, raised, low, low, low], _executor.Order.ToArray());
        var raisedChains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(raised, null, default);
        Assert.All(raisedChains, c => Assert.Equal(5, c.Chain.Priority));
        Assert.False(await _grains.GetGrain<ISubmissionGrain>(raised).SetPriorityAsync(1)); // finished: unchanged
    }

    [Fact]
    public async Task A_reserved_chain_that_is_cancelled_never_runs_and_the_agent_takes_the_next_one()
    {
        var gate = _executor.Gate = new TaskCompletionSource();
        await Agent("only");
        var id = await Submit(ForEach(3, null));
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_executor.Running == 0) { Assert.True(DateTime.UtcNow < until); await Task.Delay(5); }
        var chains = (await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(id, null, default)).Select(c => c.Chain.Id).ToList();
        var running = Assert.Single(_executor.Ran).Id;
        var next = chains.First(c => c != running); // the agent has reserved it (oldest first)
        await Task.Delay(100); // the reservation is on its way
        await _grains.GetGrain<IProcessChainGrain>(next).CancelAsync();
        gate.SetResult();

        var s = await WaitFinal(id);
        Assert.Equal(SubmissionStatus.Cancelled, s.Status); // as Steep 6.9: a cancelled chain makes the submission CANCELLED
        Assert.Equal(2, s.SucceededProcessChains);
        Assert.Equal(1, s.CancelledProcessChains);
        Assert.DoesNotContain(_executor.Ran, c => c.Id == next);
        Assert.Equal(2, _executor.Ran.Count);
    }

    [Fact]
    public async Task Cancelling_a_submission_drops_the_reserved_chain_too()
    {
        _executor.Block = true;
        await Agent("only");
        var id = await Submit(ForEach(3, null));
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_executor.Running == 0) { Assert.True(DateTime.UtcNow < until); await Task.Delay(5); }
        await Task.Delay(100);
        await _grains.GetGrain<ISubmissionGrain>(id).CancelAsync();

        var s = await WaitFinal(id);
        Assert.Equal(SubmissionStatus.Cancelled, s.Status);
        Assert.Equal(3, s.CancelledProcessChains);
        var chains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(id, null, default);
        Assert.All(chains, c => Assert.Equal(ProcessChainStatus.Cancelled, c.Chain.Status));
        // the running chain ran; the reserved one at most started to be killed at once; the queued one never ran
        Assert.InRange(_executor.Ran.Count, 1, 2);
        Assert.Equal(0, _executor.Running);
    }

    [Fact]
    public async Task Cancelling_a_large_submission_drops_its_waiting_chains_at_once_and_settles()
    {
        _executor.Block = true;
        await Agent("a1");
        await Agent("a2");
        var id = await Submit(ForEach(20_000, null));
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_executor.Running < 2) { Assert.True(DateTime.UtcNow < until); await Task.Delay(5); }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        await _grains.GetGrain<ISubmissionGrain>(id).CancelAsync();
        var s = await WaitFinal(id, TimeSpan.FromSeconds(30));
        var settled = watch.Elapsed;
        Assert.Equal(SubmissionStatus.Cancelled, s.Status);
        // lazy unrolling: only a window of the 20,000 items ever became chains; the rest are never unrolled
        const int window = SteepServices.DefaultMaxRegisteredChains;
        Assert.Equal(window, s.TotalProcessChains);
        Assert.Equal(window, s.CancelledProcessChains);
        Assert.Equal(0, s.RunningProcessChains);
        Assert.True(settled < TimeSpan.FromSeconds(10), $"settled after {settled}");
        var counts = await ((Persistence.IProcessChainStore)_store).CountByStatusAsync(id, default);
        Assert.Equal(window, counts[ProcessChainStatus.Cancelled]);
        Assert.InRange(_executor.Ran.Count, 2, 4); // the running ones, and at most the reserved ones killed at their start

        watch.Restart();
        await _grains.GetGrain<ISubmissionGrain>(id).CancelAsync(); // a second cancel answers at once
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"second cancel took {watch.Elapsed}");
    }

    [Fact]
    public async Task AChainWhoseRunningWriteFailedIsStoredWithItsStartWhenItEnds()
    {
        _chains.FailNextStart = true;
        var gate = _executor.Gate = new TaskCompletionSource();
        await Agent("a1");
        var id = await Submit(Chain);
        // the chain runs past the start delay, so its RUNNING write is made (and fails) while it runs
        var until = DateTime.UtcNow.AddSeconds(10);
        while (_chains.FailNextStart) { Assert.True(DateTime.UtcNow < until, "no RUNNING write while the chain ran"); await Task.Delay(10); }
        gate.SetResult();
        var s = await WaitFinal(id);

        Assert.Equal(SubmissionStatus.Success, s.Status);
        var chains = await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(s.Id, null, default);
        Assert.All(chains, c =>
        {
            Assert.Equal(ProcessChainStatus.Success, c.Chain.Status);
            Assert.NotNull(c.Chain.StartTime);
            Assert.NotNull(c.AgentId);
            Assert.Equal(1, c.RunNumber);
        });
        Assert.False(_chains.FailNextStart);
    }

    /// <summary>The in-memory store, except that the next RUNNING write can be made to fail once.</summary>
    private sealed class StartWriteFailures(InMemoryStore inner) : Persistence.IProcessChainStore
    {
        private int _fail;

        public bool FailNextStart { get => Volatile.Read(ref _fail) == 1; set => Volatile.Write(ref _fail, value ? 1 : 0); }

        public Task<bool> UpdateAsync(Persistence.ProcessChainUpdate update, CancellationToken ct) =>
            update.Status == ProcessChainStatus.Running && Interlocked.Exchange(ref _fail, 0) == 1
                ? Task.FromException<bool>(new IOException("disk full"))
                : ((Persistence.IProcessChainStore)inner).UpdateAsync(update, ct);

        public Task<Persistence.StoredProcessChain?> GetAsync(string id, CancellationToken ct) => ((Persistence.IProcessChainStore)inner).GetAsync(id, ct);
        public Task<Persistence.Page<Persistence.StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).ListAsync(submissionId, status, offset, size, newestFirst, ct);
        public Task<IReadOnlyList<Persistence.StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).ListBySubmissionAsync(submissionId, status, ct);
        public Task<IReadOnlyList<Persistence.StoredProcessChain>> ListByStatusAsync(string status, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).ListByStatusAsync(status, ct);
        public Task UpdateManyAsync(IReadOnlyList<Persistence.ProcessChainUpdate> updates, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).UpdateManyAsync(updates, ct);
        public Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).SetProcessChainPriorityAsync(processChainId, priority, ct);
        public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).CountByStatusAsync(submissionId, ct);
        public Task<IReadOnlyList<Persistence.ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).ListRunsAsync(processChainId, ct);
        public Task<Persistence.ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct) =>
            ((Persistence.IProcessChainStore)inner).GetRunAsync(processChainId, runNumber, ct);
    }

    /// <summary>Succeeds (outputs = their paths), fails or blocks until cancelled, and records what it ran where.</summary>
    private sealed class ScriptedExecutor : IProcessChainExecutor
    {
        public string? Fail { get; set; }
        public bool Block { get; set; }
        public TaskCompletionSource? Gate { get; set; } // every chain waits for it
        public Func<ProcessChain, Task?>? HoldUntil { get; set; } // what a chain waits for before it ends (null: nothing)
        public int Running;
        public ConcurrentBag<ProcessChain> Ran { get; } = new();
        public ConcurrentQueue<string> Order { get; } = new(); // submission ids, in the order their chains started

        public async Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct)
        {
            Ran.Add(chain);
            Order.Enqueue(chain.SubmissionId ?? "");
            Interlocked.Increment(ref Running);
            try
            {
                if (Block) await Task.Delay(Timeout.Infinite, ct);
                if (Gate is { } gate) await gate.Task.WaitAsync(ct);
                if (HoldUntil?.Invoke(chain) is { } hold) await hold.WaitAsync(ct);
                await Task.Yield();
                if (Fail is not null) return new ProcessChainOutcome(ProcessChainStatus.Error, null, Fail, []);
                var results = chain.Executables.SelectMany(e => e.Arguments).Where(a => a.Type == "output")
                    .ToDictionary(a => a.Variable.Id, a => (IReadOnlyList<string>)[a.Variable.Value]);
                return new ProcessChainOutcome(ProcessChainStatus.Success, results, null, chain.Executables.Select(e => e.Id).ToList());
            }
            finally
            {
                Interlocked.Decrement(ref Running);
            }
        }
    }
}
