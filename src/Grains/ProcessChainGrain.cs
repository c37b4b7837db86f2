using Steep.Agent;
using Steep.Core.Models;
using Steep.Core.Scheduling;
using Steep.Grains.Runtime;
using Steep.Persistence;

namespace Steep.Grains;

/// <summary>One process chain's run-time state (status, agent, times, results, run count), kept in the store.</summary>
public sealed class ProcessChainGrain(SteepServices services) : Grain
{
    private StoredProcessChain? _chain;
    private string? _cancelledBeforeStart;
    private Task? _startWrite; // the RUNNING write, while it is on its way

    private string ChainId => Id.Key;

    /// <inheritdoc />
    protected internal override async Task OnActivateAsync(CancellationToken ct) =>
        _chain = services.FreshChains.TryTake(ChainId, out var fresh)
            ? new StoredProcessChain(fresh, null, 0, 0) // its store sequence is unknown here; only a requeue needs it
            : await services.Chains.GetAsync(ChainId, ct);

    /// <summary>The stored chain (null if unknown).</summary>
    public Task<StoredProcessChain?> GetAsync() => Task.FromResult(_chain);

    /// <summary>Marks the chain RUNNING on <paramref name="agentId"/> and returns it; null if it must not run (cancelled, finished or unknown).</summary>
    public Task<StoredProcessChain?> StartAsync(string agentId)
    {
        if (_chain is null || _chain.Chain.Status != ProcessChainStatus.Registered || _cancelledBeforeStart is not null)
            return Task.FromResult<StoredProcessChain?>(null);
        var now = services.Clock.GetUtcNow();
        int run = _chain.RunNumber + 1;
        _chain = _chain with { Chain = _chain.Chain with { Status = ProcessChainStatus.Running, StartTime = now }, AgentId = agentId, RunNumber = run };
        // The agent starts the process while RUNNING is being written: if this process dies first, the store still
        // says REGISTERED and the chain runs again after the restart, as a chain that was running would. Observers
        // hear of the start only once it is stored; every later write of this chain waits for it.
        _startWrite = WriteStartAsync(new ProcessChainUpdate(ChainId)
        {
            Status = ProcessChainStatus.Running, StartTime = now, AgentId = agentId, RunNumber = run,
        }, new ProcessChainEvent(ChainId, _chain.Chain.SubmissionId ?? "", ProcessChainStatus.Running, agentId, null, null));
        return Task.FromResult<StoredProcessChain?>(_chain);
    }

    private async Task WriteStartAsync(ProcessChainUpdate update, ProcessChainEvent started)
    {
        await services.Chains.UpdateAsync(update, default).ConfigureAwait(false);
        services.Events.ProcessChainChanged(started);
    }

    /// <summary>Waits for the RUNNING write; when it failed, <paramref name="next"/> carries the start as well.</summary>
    private async Task<ProcessChainUpdate> AfterStartWriteAsync(ProcessChainUpdate next)
    {
        var pending = _startWrite;
        _startWrite = null;
        if (pending is null) return next;
        try
        {
            await pending;
            return next;
        }
        catch (Exception)
        {
            return next.Reset ? next : next with { StartTime = _chain?.Chain.StartTime, AgentId = _chain?.AgentId, RunNumber = _chain?.RunNumber };
        }
    }

    /// <summary>Stores how the run ended and tells the submission.</summary>
    public async Task CompleteAsync(ProcessChainOutcome outcome)
    {
        if (_chain is null || _chain.Chain.Status != ProcessChainStatus.Running) return;
        var now = services.Clock.GetUtcNow();
        await services.Chains.UpdateAsync(await AfterStartWriteAsync(new ProcessChainUpdate(ChainId)
        {
            Status = outcome.Status, EndTime = now, Results = outcome.Results, ErrorMessage = outcome.ErrorMessage,
        }), default);
        var c = _chain.Chain;
        _chain = _chain with { Chain = c with { Status = outcome.Status, EndTime = now, Results = outcome.Results, ErrorMessage = outcome.ErrorMessage } };
        services.Events.ProcessChainChanged(new ProcessChainEvent(ChainId, c.SubmissionId ?? "", outcome.Status, _chain.AgentId,
            c.StartTime is { } s ? now - s : null, c.Executables.Count > 0 ? c.Executables[0].ServiceId : null));
        NotifySubmission(outcome.Status, outcome.Results, outcome.ExecutedExecutableIds, outcome.ErrorMessage);
    }

    /// <summary>Cancels the chain: a queued one is dropped at once, a running one is killed by its agent.</summary>
    public async Task CancelAsync()
    {
        if (_chain is null) return;
        switch (_chain.Chain.Status)
        {
            case ProcessChainStatus.Registered:
                _cancelledBeforeStart = "cancelled";
                Runtime.Get<SchedulerGrain>(SchedulerGrain.Key).Tell(s => s.RemoveAsync(ChainId));
                await services.Chains.UpdateAsync(new ProcessChainUpdate(ChainId) { Status = ProcessChainStatus.Cancelled, EndTime = services.Clock.GetUtcNow() }, default);
                _chain = _chain with { Chain = _chain.Chain with { Status = ProcessChainStatus.Cancelled } };
                services.Events.ProcessChainChanged(new ProcessChainEvent(ChainId, _chain.Chain.SubmissionId ?? "", ProcessChainStatus.Cancelled, null, null, null));
                NotifySubmission(ProcessChainStatus.Cancelled, null, [], null);
                break;
            case ProcessChainStatus.Running when _chain.AgentId is { } agent:
                Runtime.Get<AgentGrain>(agent).Tell(a => a.CancelAsync(ChainId));
                break;
        }
    }

    /// <summary>Puts a chain whose agent is gone back into the queue (at-least-once execution).</summary>
    public async Task RequeueAsync()
    {
        if (_chain is null || _chain.Chain.Status != ProcessChainStatus.Running) return;
        await services.Chains.UpdateAsync(await AfterStartWriteAsync(new ProcessChainUpdate(ChainId) { Status = ProcessChainStatus.Registered, Reset = true }), default);
        _chain = _chain with { Chain = _chain.Chain with { Status = ProcessChainStatus.Registered, StartTime = null }, AgentId = null };
        // any positive sequence puts a requeued chain before the new ones
        var q = new QueuedChain(ChainId, _chain.Chain.SubmissionId ?? "", _chain.Chain.RequiredCapabilities, Math.Max(1, _chain.Sequence));
        Runtime.Get<SchedulerGrain>(SchedulerGrain.Key).Tell(s => s.EnqueueAsync([q]));
    }

    private void NotifySubmission(string status, IReadOnlyDictionary<string, IReadOnlyList<string>>? results, IReadOnlyList<string> executed, string? error)
    {
        if (_chain?.Chain.SubmissionId is not { } sid) return;
        Runtime.Get<SubmissionGrain>(sid).Tell(s => s.ChainFinishedAsync(ChainId, status, results, executed, error));
        DeactivateOnIdle();
    }
}
