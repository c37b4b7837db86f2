using Orleans.GrainDirectory;
using Steep.Core.Models;
using Steep.Core.Scheduling;
using Steep.Grains.Placement;

namespace Steep.Grains;

/// <summary>
/// Assigns REGISTERED chains to agents whose capabilities are a superset of the chain's: higher priority first, then
/// in registration order; an agent takes one chain to run and one to run next. A chain reserved to run next is taken
/// back for an agent that is idle with nothing queued for it, so that it does not wait behind a long chain.
/// A chain nobody can run is skipped without stalling the rest and starts as soon as a fitting agent registers.
/// </summary>
[KeepAlive] // its queue and agents live only in memory: being collected when idle would forget them
[GrainDirectory(SteepPlacement.DurableDirectory)] // the distributed directory: the loss of another silo does not deactivate it (see SteepPlacement)
public sealed class SchedulerGrain : Grain, ISchedulerGrain
{
    /// <summary>The key of the one scheduler.</summary>
    public const string Key = "scheduler";

    private readonly ChainQueue _queue = new();
    private readonly Dictionary<string, IReadOnlyCollection<string>> _agents = new(); // registration order
    private readonly Dictionary<string, int> _free = new(); // free slots per agent: a running chain and a reserved one
    private const int Slots = 2;
    private readonly Dictionary<string, IAgentGrain> _agentGrains = new();
    private readonly Dictionary<string, string> _agentSilos = new(); // agent -> the silo it lives on
    // busy agents asked to give back their reserved chain for an idle one, until a slot of theirs is free again. Which
    // chain an agent has reserved is its own business: one-way hand-overs may arrive out of order, and a chain enqueued
    // twice (by a recovery and by its resumed submission) is handed to a second agent, which declines it
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);
    private long _sequence;
    private long _requeued;
    // chains as their submission registered them, handed on with their assignment (see QueuedChain.Chain); bounded, as
    // a huge workflow's queue would otherwise hold every chain twice: beyond it, activations read the registry
    private readonly Dictionary<string, ProcessChain> _fresh = new(StringComparer.Ordinal);
    private const int FreshKept = 10_000;

    /// <inheritdoc />
    public Task<int> QueuedAsync() => Task.FromResult(_queue.Count);

    /// <inheritdoc />
    public Task EnqueueAsync(IReadOnlyList<QueuedChain> chains)
    {
        foreach (var c in chains)
        {
            if (c.Chain is { } fresh && c.Sequence <= 0 && _fresh.Count < FreshKept) _fresh.TryAdd(c.Id, fresh);
            _queue.Enqueue(c with { Sequence = c.Sequence > 0 ? -(++_requeued) : ++_sequence, Chain = null });
        }
        Dispatch();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string chainId)
    {
        _queue.Remove(chainId);
        _fresh.Remove(chainId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<string>> RemoveSubmissionAsync(string submissionId)
    {
        var removed = _queue.RemoveAll(c => c.SubmissionId == submissionId).Select(c => c.Id).ToList();
        foreach (var id in removed) _fresh.Remove(id);
        return Task.FromResult<IReadOnlyList<string>>(removed);
    }

    /// <inheritdoc />
    public Task SetPriorityAsync(string? submissionId, string? chainId, int priority)
    {
        if (submissionId is not null) _queue.SetPriority(c => c.SubmissionId == submissionId, priority);
        else if (chainId is not null) _queue.SetPriority(c => c.Id == chainId, priority);
        // a chain as registered carries its old priority: those affected are read from the registry instead
        foreach (var id in _fresh.Where(f => f.Value.SubmissionId == submissionId || f.Key == chainId).Select(f => f.Key).ToList()) _fresh.Remove(id);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RegisterAgentAsync(string agentId, IReadOnlyList<string> capabilities, string silo, int busySlots)
    {
        _agents[agentId] = new HashSet<string>(capabilities);
        _free[agentId] = Math.Clamp(Slots - busySlots, 0, Slots);
        _agentSilos[agentId] = silo;
        _asked.Remove(agentId);
        Dispatch();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnregisterAgentAsync(string agentId)
    {
        _agents.Remove(agentId);
        _free.Remove(agentId);
        _agentGrains.Remove(agentId);
        _agentSilos.Remove(agentId);
        _asked.Remove(agentId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<int> ForgetSilosAsync(IReadOnlyList<string> silos)
    {
        var gone = new HashSet<string>(silos);
        var agents = _agentSilos.Where(a => gone.Contains(a.Value)).Select(a => a.Key).ToList();
        foreach (var agentId in agents) UnregisterAgentAsync(agentId);
        return Task.FromResult(agents.Count);
    }

    /// <inheritdoc />
    public Task AgentIdleAsync(string agentId)
    {
        if (_free.TryGetValue(agentId, out int free) && free < Slots) _free[agentId] = free + 1;
        _asked.Remove(agentId);
        Dispatch();
        return Task.CompletedTask;
    }

    private void Dispatch()
    {
        Assign();
        TakeBackForIdleAgents();
    }

    private void Assign()
    {
        if (_queue.Count == 0) return;
        // idle agents first, then agents that run a chain and have no next one reserved; each in registration order
        // takes the first chain (by priority, then age) it can run
        for (int wanted = Slots; wanted > 0 && _queue.Count > 0; wanted--)
        {
            foreach (var (agentId, capabilities) in _agents)
            {
                if (_free[agentId] < wanted) continue;
                var chain = _queue.TryTake(capabilities);
                if (chain is null) continue;
                _free[agentId]--;
                Agent(agentId).AssignAsync(chain.Id, _fresh.Remove(chain.Id, out var fresh) ? fresh : null).Ignore();
                if (_queue.Count == 0) return;
            }
        }
    }

    /// <summary>
    /// An agent that is idle with nothing queued that it can run asks a busy agent (one with both slots taken) to give
    /// back the chain it reserved to run after its current one, which may run for hours: if the idle agent can run it, it
    /// goes back to the front of the queue and from there to the idle agent.
    /// </summary>
    private void TakeBackForIdleAgents()
    {
        foreach (var (agentId, capabilities) in _agents)
        {
            if (_free[agentId] < Slots) continue;
            var busy = _free.FirstOrDefault(a => a.Value == 0 && !_asked.Contains(a.Key)).Key;
            if (busy is null) return; // no busy agent left to ask
            _asked.Add(busy);
            Agent(busy).ReleaseAsync([.. capabilities]).Ignore();
        }
    }

    private IAgentGrain Agent(string agentId)
    {
        if (!_agentGrains.TryGetValue(agentId, out var agent)) _agentGrains[agentId] = agent = GrainRef<IAgentGrain>.Get(GrainFactory, agentId);
        return agent;
    }
}
