using Steep.Core.Scheduling;

namespace Steep.Grains;

/// <summary>
/// Assigns REGISTERED chains to idle agents whose capabilities are a superset of the chain's: higher priority first,
/// then in registration order.
/// A chain nobody can run is skipped without stalling the rest and starts as soon as a fitting agent registers.
/// </summary>
[KeepAlive] // its queue and agents live only in memory: being collected when idle would forget them
public sealed class SchedulerGrain : Grain, ISchedulerGrain
{
    /// <summary>The key of the one scheduler.</summary>
    public const string Key = "scheduler";

    private readonly ChainQueue _queue = new();
    private readonly Dictionary<string, IReadOnlyCollection<string>> _agents = new(); // registration order
    private readonly List<string> _idle = new();
    private readonly Dictionary<string, IAgentGrain> _agentGrains = new();
    private long _sequence;
    private long _requeued;

    /// <inheritdoc />
    public Task<int> QueuedAsync() => Task.FromResult(_queue.Count);

    /// <inheritdoc />
    public Task EnqueueAsync(IReadOnlyList<QueuedChain> chains)
    {
        foreach (var c in chains)
            _queue.Enqueue(c with { Sequence = c.Sequence > 0 ? -(++_requeued) : ++_sequence });
        Dispatch();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RemoveAsync(string chainId)
    {
        _queue.Remove(chainId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task SetPriorityAsync(string? submissionId, string? chainId, int priority)
    {
        if (submissionId is not null) _queue.SetPriority(c => c.SubmissionId == submissionId, priority);
        else if (chainId is not null) _queue.SetPriority(c => c.Id == chainId, priority);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task RegisterAgentAsync(string agentId, IReadOnlyList<string> capabilities)
    {
        _agents[agentId] = new HashSet<string>(capabilities);
        if (!_idle.Contains(agentId)) _idle.Add(agentId);
        Dispatch();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnregisterAgentAsync(string agentId)
    {
        _agents.Remove(agentId);
        _idle.Remove(agentId);
        _agentGrains.Remove(agentId);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task AgentIdleAsync(string agentId)
    {
        if (_agents.ContainsKey(agentId) && !_idle.Contains(agentId)) _idle.Add(agentId);
        Dispatch();
        return Task.CompletedTask;
    }

    private void Dispatch()
    {
        if (_queue.Count == 0 || _idle.Count == 0) return;
        // idle agents in registration order, each takes the first chain (by priority, then age) it can run
        var order = _agents.Keys.Where(_idle.Contains).ToList();
        foreach (var agentId in order)
        {
            var chain = _queue.TryTake(_agents[agentId]);
            if (chain is null) continue;
            _idle.Remove(agentId);
            if (!_agentGrains.TryGetValue(agentId, out var agent)) _agentGrains[agentId] = agent = GrainRef<IAgentGrain>.Get(GrainFactory, agentId);
            agent.AssignAsync(chain.Id).Ignore();
            if (_queue.Count == 0) break;
        }
    }
}
