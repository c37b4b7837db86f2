using System.Collections.Concurrent;
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
/// Chains travel with their assignment as cluster mode wires it (no fresh-chain cache kept by the submission): the
/// agent's silo starts them without reading them back from the registry, and one that ran before is read again.
/// </summary>
public sealed class AssignedChainTests : IAsyncLifetime
{
    private readonly InMemoryStore _store = new();
    private readonly CountingReads _chains;
    private readonly Succeeding _executor = new();
    private IHost _silo = null!;
    private IGrainFactory _grains = null!;

    public AssignedChainTests() => _chains = new CountingReads(_store);

    public async Task InitializeAsync()
    {
        var services = new SteepServices(_store, _chains, TestServices.All, new SteepPaths("/tmp/t", "/tmp/o", "/tmp/l"), _executor, new EventHub(), TimeProvider.System)
        {
            FreshChains = new FreshChains(capacity: 0), // as in cluster mode
        };
        _silo = await TestSilo.StartAsync(services, "assigned", s => s.AddSingleton<SubmissionIntake>());
        _grains = _silo.Services.GetRequiredService<IGrainFactory>();
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }

    [Fact]
    public async Task New_chains_run_on_two_agents_without_being_read_back_from_the_registry()
    {
        await _grains.GetGrain<IAgentGrain>("a1").RegisterAsync([]);
        await _grains.GetGrain<IAgentGrain>("a2").RegisterAsync([]);
        var s = await RunAsync(GrainRuns.ForEach(100));
        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(100, s.SucceededProcessChains);
        Assert.Equal(100, _executor.Ran.Distinct().Count());
        Assert.Equal(0, _chains.Reads);
    }

    [Fact]
    public async Task A_chain_registered_before_a_restart_is_read_from_the_registry_and_runs()
    {
        // registered, not run: the submission starts again (as after a restart) and queues it from the registry
        var wf = ModelReader.ReadWorkflow(GrainRuns.ForEach(3), "wf");
        var id = UniqueIds.Next(TimeProvider.System);
        await ((ISubmissionStore)_store).AddAsync(new Submission { Id = id, Workflow = wf, Status = SubmissionStatus.Accepted }, default);
        await _grains.GetGrain<ISubmissionGrain>(id).StartAsync();
        await _silo.StopAsync();
        _silo.Dispose();
        await InitializeAsync();
        await _grains.GetGrain<ISubmissionGrain>(id).StartAsync();
        await _grains.GetGrain<IAgentGrain>("a1").RegisterAsync([]);
        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));
        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(3, s.SucceededProcessChains);
        Assert.Equal(3, _chains.Reads);
    }

    private async Task<Submission> RunAsync(string yaml) =>
        await GrainRuns.WaitFinalAsync(_store, await GrainRuns.SubmitAsync(_grains, _store, yaml), TimeSpan.FromSeconds(30));

    /// <summary>The in-memory store, counting the reads of single chains (what a chain's activation does).</summary>
    private sealed class CountingReads(InMemoryStore inner) : IProcessChainStore
    {
        private int _reads;
        private IProcessChainStore Inner => inner;

        public int Reads => Volatile.Read(ref _reads);

        public Task<StoredProcessChain?> GetAsync(string id, CancellationToken ct)
        {
            Interlocked.Increment(ref _reads);
            return Inner.GetAsync(id, ct);
        }

        public Task<bool> UpdateAsync(ProcessChainUpdate update, CancellationToken ct) => Inner.UpdateAsync(update, ct);
        public Task<Page<StoredProcessChain>> ListAsync(string? submissionId, string? status, int offset, int size, bool newestFirst, CancellationToken ct) =>
            Inner.ListAsync(submissionId, status, offset, size, newestFirst, ct);
        public Task<IReadOnlyList<StoredProcessChain>> ListBySubmissionAsync(string submissionId, string? status, CancellationToken ct) =>
            Inner.ListBySubmissionAsync(submissionId, status, ct);
        public Task<IReadOnlyList<StoredProcessChain>> ListByStatusAsync(string status, CancellationToken ct) => Inner.ListByStatusAsync(status, ct);
        public Task UpdateManyAsync(IReadOnlyList<ProcessChainUpdate> updates, CancellationToken ct) => Inner.UpdateManyAsync(updates, ct);
        public Task<bool> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) =>
            Inner.SetProcessChainPriorityAsync(processChainId, priority, ct);
        public Task<IReadOnlyDictionary<string, int>> CountByStatusAsync(string? submissionId, CancellationToken ct) => Inner.CountByStatusAsync(submissionId, ct);
        public Task<IReadOnlyList<ProcessChainRun>> ListRunsAsync(string processChainId, CancellationToken ct) => Inner.ListRunsAsync(processChainId, ct);
        public Task<ProcessChainRun?> GetRunAsync(string processChainId, int runNumber, CancellationToken ct) => Inner.GetRunAsync(processChainId, runNumber, ct);
    }

    /// <summary>Succeeds at once (outputs = their paths) and records which chains it ran.</summary>
    private sealed class Succeeding : IProcessChainExecutor
    {
        public ConcurrentBag<string> Ran { get; } = new();

        public async Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct)
        {
            Ran.Add(chain.Id);
            await Task.Yield();
            var results = chain.Executables.SelectMany(e => e.Arguments).Where(a => a.Type == "output")
                .ToDictionary(a => a.Variable.Id, a => (IReadOnlyList<string>)[a.Variable.Value]);
            return new ProcessChainOutcome(ProcessChainStatus.Success, results, null, chain.Executables.Select(e => e.Id).ToList());
        }
    }
}
