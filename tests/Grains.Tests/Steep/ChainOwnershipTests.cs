using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;
using Steep.Grains.Tests.Support;
using Steep.Persistence;
using Steep.Persistence.InMemory;

namespace Steep.Grains.Tests.Steep;

/// <summary>
/// A chain's run belongs to the agent it was given to: what another agent reports of the chain (one that was told to
/// kill a copy it should not have started, or one whose run was given away meanwhile) does not end it or requeue it.
/// </summary>
public sealed class ChainOwnershipTests : IAsyncLifetime
{
    private readonly InMemoryStore _store = new();
    private readonly UnansweredHolds _unanswered = new();
    private IHost _silo = null!;
    private IGrainFactory _grains = null!;

    public async Task InitializeAsync()
    {
        var services = ClusterWiring.WithoutAgents(_store);
        _silo = await TestSilo.StartAsync(services, "ownership", s =>
        {
            s.AddSingleton<SubmissionIntake>();
            s.AddSingleton<IIncomingGrainCallFilter>(_unanswered);
        });
        _grains = _silo.Services.GetRequiredService<IGrainFactory>();
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }

    [Fact]
    public async Task Only_the_agent_running_a_chain_ends_or_requeues_it()
    {
        // no agent registered: the chain waits, and the test plays the agents
        var id = await GrainRuns.SubmitAsync(_grains, _store, GrainRuns.ForEach(1));
        var chainId = (await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default)).Single().Chain.Id;
        var chain = _grains.GetGrain<IProcessChainGrain>(chainId);
        Assert.NotNull(await chain.StartAsync("a1"));
        await WaitForAsync(chainId, c => c.Chain.Status == ProcessChainStatus.Running);

        // a2 killed its copy (it had reserved the chain before a1 took it) and reports it; then it stops and hands back
        await chain.CompleteAsync("a2", new ProcessChainOutcome(ProcessChainStatus.Cancelled, null, null, []));
        await chain.RequeueAsync("a2");
        var stored = (await chain.GetAsync())!;
        Assert.Equal((ProcessChainStatus.Running, "a1", 1), (stored.Chain.Status, stored.AgentId, stored.RunNumber));
        Assert.Equal(ProcessChainStatus.Running, (await ((IProcessChainStore)_store).GetAsync(chainId, default))!.Chain.Status);

        // a1's end is the chain's, and the submission's
        await chain.CompleteAsync("a1", new ProcessChainOutcome(ProcessChainStatus.Success, null, null, []));
        var ended = await WaitForAsync(chainId, c => c.Chain.Status != ProcessChainStatus.Running);
        Assert.Equal((ProcessChainStatus.Success, "a1", 1), (ended.Chain.Status, ended.AgentId, ended.RunNumber));
        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));
        Assert.Equal(SubmissionStatus.Success, s.Status);
        var run = Assert.Single(await ((IProcessChainStore)_store).ListRunsAsync(chainId, default));
        Assert.Equal(("a1", ProcessChainStatus.Success), (run.AgentId, run.Status));
    }

    [Fact]
    public async Task A_recovery_leaves_a_chain_running_while_its_agent_fails_to_answer_from_a_silo_that_is_alive()
    {
        var id = await GrainRuns.SubmitAsync(_grains, _store, GrainRuns.ForEach(1));
        var chainId = (await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default)).Single().Chain.Id;
        var chain = _grains.GetGrain<IProcessChainGrain>(chainId);
        Assert.NotNull(await chain.StartAsync("a1"));

        // the agent's silo is a live member (this one): an Orleans error instead of an answer does not make it gone
        _unanswered.Failing = true;
        Assert.Null(await chain.RecoverAsync());
        var stored = (await ((IProcessChainStore)_store).GetAsync(chainId, default))!;
        Assert.Equal((ProcessChainStatus.Running, "a1", 1), (stored.Chain.Status, stored.AgentId, stored.RunNumber));

        // once it answers that it holds nothing (it never registered here), the chain goes back to the queue
        _unanswered.Failing = false;
        Assert.True(await chain.RecoverAsync());
        stored = await WaitForAsync(chainId, c => c.Chain.Status != ProcessChainStatus.Running);
        Assert.Equal((ProcessChainStatus.Registered, (string?)null), (stored.Chain.Status, stored.AgentId));
    }

    private async Task<StoredProcessChain> WaitForAsync(string chainId, Func<StoredProcessChain, bool> condition)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var c = (await ((IProcessChainStore)_store).GetAsync(chainId, default))!;
            if (condition(c)) return c;
            Assert.True(DateTime.UtcNow < until, $"chain {chainId} still {c.Chain.Status}");
            await Task.Delay(10);
        }
    }


    /// <summary>While <see cref="Failing"/>, an agent's answer to "do you hold this chain?" is an Orleans error instead.</summary>
    private sealed class UnansweredHolds : IIncomingGrainCallFilter
    {
        public volatile bool Failing;

        public Task Invoke(IIncomingGrainCallContext context) =>
            Failing && context.InterfaceMethod?.Name == nameof(IAgentGrain.HoldsAsync)
                ? throw new OrleansException("the message was rejected (test)")
                : context.Invoke();
    }
}
