using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Grains.Tests.Support;
using Steep.Persistence;
using Steep.Persistence.InMemory;

namespace Steep.Grains.Tests.Steep;

/// <summary>
/// When a chain's RUNNING reaches the registry: a chain that ends within <see cref="SteepServices.StartRecordDelay"/>
/// is written once (its start, its run and its end together); a longer one is RUNNING in the registry while it runs.
/// </summary>
public sealed class StartRecordingTests : IAsyncLifetime
{
    private readonly InMemoryStore _store = new();
    private readonly CountingChainWrites _chains;
    private readonly GatedExecutor _executor = new();
    private readonly EventHub _events = new();
    private IHost? _silo;
    private IGrainFactory _grains = null!;

    public StartRecordingTests() => _chains = new CountingChainWrites(_store);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _executor.Release();
        if (_silo is null) return;
        await _silo.StopAsync();
        _silo.Dispose();
    }

    private async Task StartAsync(TimeSpan startRecordDelay, int agents)
    {
        var services = new SteepServices(_store, _chains, TestServices.All, new SteepPaths("/tmp/t", "/tmp/o", "/tmp/l"), _executor, _events,
            TimeProvider.System) { StartRecordDelay = startRecordDelay };
        _silo = await TestSilo.StartAsync(services, "starts", s => s.AddSingleton<SubmissionIntake>());
        _grains = _silo.Services.GetRequiredService<IGrainFactory>();
        for (int i = 1; i <= agents; i++) await _grains.GetGrain<IAgentGrain>($"a{i}").RegisterAsync([]);
    }

    [Fact]
    public async Task Chains_that_end_before_the_delay_are_written_once_with_their_start_run_and_end()
    {
        // a delay no chain of this test comes near, however loaded the machine
        await StartAsync(TimeSpan.FromMinutes(5), agents: 2);
        using var subscription = _events.Subscribe();
        var id = await GrainRuns.SubmitAsync(_grains, _store, GrainRuns.ForEach(40));
        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));

        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(40, s.SucceededProcessChains);
        var chains = await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default);
        Assert.Equal(40, chains.Count);
        foreach (var c in chains)
        {
            Assert.Equal(ProcessChainStatus.Success, c.Chain.Status);
            Assert.Equal(1, _chains.WritesOf(c.Chain.Id));
            Assert.NotNull(c.AgentId);
            Assert.Equal(1, c.RunNumber);
            Assert.NotNull(c.Chain.StartTime);
            Assert.True(c.Chain.StartTime <= c.Chain.EndTime, $"{c.Chain.Id}: started {c.Chain.StartTime}, ended {c.Chain.EndTime}");
            var run = Assert.Single(await ((IProcessChainStore)_store).ListRunsAsync(c.Chain.Id, default));
            Assert.Equal(ProcessChainStatus.Success, run.Status);
            Assert.Equal(c.AgentId, run.AgentId);
            Assert.Equal(c.Chain.StartTime, run.StartTime);
            Assert.Equal(c.Chain.EndTime, run.EndTime);
        }
        // observers still hear of every start, before its end
        var seen = new List<ProcessChainEvent>();
        while (subscription.Events.TryRead(out var e)) if (e is ProcessChainEvent pe && pe.SubmissionId == id) seen.Add(pe);
        foreach (var c in chains)
        {
            var statuses = seen.Where(e => e.ProcessChainId == c.Chain.Id).Select(e => e.Status).ToList();
            Assert.Equal([ProcessChainStatus.Running, ProcessChainStatus.Success], statuses);
        }
    }

    [Fact]
    public async Task A_chain_running_longer_than_the_delay_is_running_in_the_registry_until_it_ends()
    {
        await StartAsync(TimeSpan.FromMilliseconds(50), agents: 1);
        _executor.Hold();
        var id = await GrainRuns.SubmitAsync(_grains, _store, GrainRuns.ForEach(1));
        var chain = (await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default)).Single().Chain.Id;

        // what `GET /processchains?status=RUNNING` and `GET /processchains/{id}` answer from while it runs
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        StoredProcessChain? stored;
        while ((stored = await ((IProcessChainStore)_store).GetAsync(chain, default))!.Chain.Status != ProcessChainStatus.Running)
        {
            Assert.True(DateTime.UtcNow < until, $"still {stored.Chain.Status} in the registry while it runs");
            await Task.Delay(10);
        }
        Assert.Equal(1, _executor.Running);
        Assert.Equal("a1", stored.AgentId);
        Assert.NotNull(stored.Chain.StartTime);
        Assert.Equal(1, (await ((IProcessChainStore)_store).ListAsync(null, ProcessChainStatus.Running, 0, 10, false, default)).Total);
        Assert.Equal(ProcessChainStatus.Running, Assert.Single(await ((IProcessChainStore)_store).ListRunsAsync(chain, default)).Status);

        _executor.Release();
        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));
        Assert.Equal(SubmissionStatus.Success, s.Status);
        var ended = (await ((IProcessChainStore)_store).GetAsync(chain, default))!;
        Assert.Equal(ProcessChainStatus.Success, ended.Chain.Status);
        Assert.Equal(stored.Chain.StartTime, ended.Chain.StartTime);
        var run = Assert.Single(await ((IProcessChainStore)_store).ListRunsAsync(chain, default));
        Assert.Equal(ProcessChainStatus.Success, run.Status);
        Assert.NotNull(run.EndTime);
        Assert.Equal(2, _chains.WritesOf(chain)); // RUNNING, then the end
    }

    [Fact]
    public async Task Without_a_delay_every_chain_is_running_in_the_registry_before_it_ends_as_in_a_cluster()
    {
        await StartAsync(TimeSpan.Zero, agents: 2);
        var id = await GrainRuns.SubmitAsync(_grains, _store, GrainRuns.ForEach(10));
        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));

        Assert.Equal(SubmissionStatus.Success, s.Status);
        var chains = await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default);
        Assert.Equal(10, chains.Count);
        foreach (var c in chains) Assert.Equal(2, _chains.WritesOf(c.Chain.Id)); // RUNNING as it started, then the end
    }


    /// <summary>Succeeds at once (outputs = their paths), or holds every chain until released.</summary>
    private sealed class GatedExecutor : IProcessChainExecutor
    {
        private volatile TaskCompletionSource? _gate;
        public int Running;

        public void Hold() => _gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _gate?.TrySetResult();

        public async Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct)
        {
            Interlocked.Increment(ref Running);
            try
            {
                if (_gate is { } gate) await gate.Task.WaitAsync(ct);
                await Task.Yield();
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
