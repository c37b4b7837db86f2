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
    // per agent, the chains handed to it whose slots are not free yet, in the order handed over: with both slots taken,
    // the last is the one it runs next. Per agent, because a chain enqueued twice (a recovery and a resumed submission)
    // is handed to a second agent, which declines it
    private readonly Dictionary<string, List<Held>> _held = new(StringComparer.Ordinal);
    private const int HeldKept = 4; // a chain given back without a word (AgentGrain's surplus case) does not pile up
    private readonly HashSet<string> _releasing = new(StringComparer.Ordinal); // reserved chains asked back for an idle agent
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
        // an agent this scheduler handed chains to that registers again (a silo was lost somewhere) holds the last
        // busySlots of them; one that starts afresh, or is new to this scheduler, holds nothing it knows of
        if (busySlots == 0 || !_held.TryGetValue(agentId, out var held)) _held[agentId] = [];
        else if (held.Count > busySlots) held.RemoveRange(0, held.Count - busySlots);
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
        if (_held.Remove(agentId, out var held)) foreach (var h in held) _releasing.Remove(h.ChainId);
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
    public Task AgentIdleAsync(string agentId, string? chainId)
    {
        if (_free.TryGetValue(agentId, out int free) && free < Slots) _free[agentId] = free + 1;
        if (chainId is not null)
        {
            if (_held.TryGetValue(agentId, out var held)) held.RemoveAll(h => h.ChainId == chainId);
            _releasing.Remove(chainId);
        }
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
                if (_held.TryGetValue(agentId, out var held))
                {
                    if (held.Count == HeldKept) held.RemoveAt(0);
                    held.Add(new Held(chain.Id, chain.RequiredCapabilities));
                }
                _releasing.Remove(chain.Id);
                Agent(agentId).AssignAsync(chain.Id, _fresh.Remove(chain.Id, out var fresh) ? fresh : null).Ignore();
                if (_queue.Count == 0) return;
            }
        }
    }

    /// <summary>
    /// An agent that is idle with nothing queued that it can run asks back a chain another agent has reserved to run
    /// after its current one (which may run for hours): it goes back to the front of the queue and to the idle agent.
    /// </summary>
    private void TakeBackForIdleAgents()
    {
        List<(string AgentId, Held Chain)>? reserved = null;
        foreach (var (agentId, capabilities) in _agents)
        {
            if (_free[agentId] < Slots) continue;
            reserved ??= ReservedChains();
            int i = reserved.FindIndex(r => ChainQueue.Satisfies(capabilities, r.Chain.RequiredCapabilities));
            if (i < 0) continue;
            var (holder, chain) = reserved[i];
            reserved.RemoveAt(i);
            _releasing.Add(chain.ChainId);
            Agent(holder).ReleaseAsync(chain.ChainId).Ignore();
        }
    }

    /// <summary>The chains that agents with both slots taken will run next (the last handed to each), in agent order.</summary>
    private List<(string AgentId, Held Chain)> ReservedChains()
    {
        var reserved = new List<(string, Held)>();
        foreach (var (agentId, held) in _held)
        {
            if (held.Count >= Slots && _free.TryGetValue(agentId, out int free) && free == 0 && !_releasing.Contains(held[^1].ChainId))
                reserved.Add((agentId, held[^1]));
        }
        return reserved;
    }

    private IAgentGrain Agent(string agentId)
    {
        if (!_agentGrains.TryGetValue(agentId, out var agent)) _agentGrains[agentId] = agent = GrainRef<IAgentGrain>.Get(GrainFactory, agentId);
        return agent;
    }

    /// <summary>A chain handed to an agent, and what it needs.</summary>
    private sealed record Held(string ChainId, IReadOnlyList<string> RequiredCapabilities);
}
