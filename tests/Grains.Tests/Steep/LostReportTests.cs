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
/// A chain's grain stores its end, then tells the submission, one-way: when the chain's silo dies in between, the
/// report is lost. The submission finds such chains in the registry, when a recovery starts it again and on its own
/// while it hears nothing, and finishes instead of waiting for ever.
/// </summary>
public sealed class LostReportTests : IAsyncDisposable
{
    private readonly InMemoryStore _store = new();
    private IHost? _silo;

    private async Task<IGrainFactory> StartAsync(TimeSpan reconcileInterval)
    {
        var services = ClusterWiring.WithoutAgents(_store) with { ReconcileInterval = reconcileInterval };
        _silo = await TestSilo.StartAsync(services, "lost-report", s => s.AddSingleton<SubmissionIntake>());
        return _silo.Services.GetRequiredService<IGrainFactory>();
    }

    public async ValueTask DisposeAsync()
    {
        if (_silo is null) return;
        await _silo.StopAsync();
        _silo.Dispose();
    }

    /// <summary>What a chain's grain stores when its run ends, without the report that follows.</summary>
    private Task StoreEndOnlyAsync(string chainId) =>
        ((IProcessChainStore)_store).UpdateAsync(new ProcessChainUpdate(chainId)
        {
            Status = ProcessChainStatus.Success, StartTime = DateTimeOffset.UtcNow, EndTime = DateTimeOffset.UtcNow, AgentId = "a1", RunNumber = 1,
        }, default);

    [Fact]
    public async Task A_recovery_feeds_a_chain_that_ended_without_its_report_and_the_submission_finishes()
    {
        var grains = await StartAsync(TimeSpan.Zero);
        var id = await GrainRuns.SubmitAsync(grains, _store, GrainRuns.ForEach(2));
        var chains = (await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default)).Select(c => c.Chain.Id).ToList();
        Assert.Equal(2, chains.Count);

        // one chain ends as usual; the other's end is stored but its report is lost with its silo
        var reported = grains.GetGrain<IProcessChainGrain>(chains[0]);
        Assert.NotNull(await reported.StartAsync("a1"));
        await reported.CompleteAsync("a1", new ProcessChainOutcome(ProcessChainStatus.Success, null, null, []));
        await StoreEndOnlyAsync(chains[1]);
        await Task.Delay(500);
        Assert.Equal(SubmissionStatus.Running, (await ((ISubmissionStore)_store).GetAsync(id, default))!.Status);

        await grains.GetGrain<ISubmissionGrain>(id).StartAsync(); // what the recovery after a lost silo does
        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));
        Assert.Equal((SubmissionStatus.Success, 2, 2), (s.Status, s.SucceededProcessChains, s.TotalProcessChains));
    }

    [Fact]
    public async Task A_submission_that_hears_nothing_looks_in_the_registry_and_finishes()
    {
        var grains = await StartAsync(TimeSpan.FromMilliseconds(200));
        var id = await GrainRuns.SubmitAsync(grains, _store, GrainRuns.ForEach(1));
        var chain = (await ((IProcessChainStore)_store).ListBySubmissionAsync(id, null, default)).Single().Chain.Id;
        await StoreEndOnlyAsync(chain);

        var s = await GrainRuns.WaitFinalAsync(_store, id, TimeSpan.FromSeconds(30));
        Assert.Equal((SubmissionStatus.Success, 1), (s.Status, s.SucceededProcessChains));
    }
}
