namespace Steep.Core.Scheduling;

/// <summary>
/// The scheduler's queue: chains in registration order, grouped by required capabilities so that an idle agent finds
/// the oldest chain it can run without scanning chains it cannot (which are skipped, never blocking the rest).
/// </summary>
public sealed class ChainQueue
{
    private readonly Dictionary<string, SortedDictionary<long, QueuedChain>> _groups = new();
    private readonly Dictionary<string, (string Group, long Sequence)> _byId = new();

    /// <summary>Number of queued chains.</summary>
    public int Count => _byId.Count;

    /// <summary>Adds a chain (ignored if already queued).</summary>
    public void Enqueue(QueuedChain chain)
    {
        if (_byId.ContainsKey(chain.Id)) return;
        var key = GroupKey(chain.RequiredCapabilities);
        if (!_groups.TryGetValue(key, out var group)) _groups[key] = group = new SortedDictionary<long, QueuedChain>();
        group[chain.Sequence] = chain;
        _byId[chain.Id] = (key, chain.Sequence);
    }

    /// <summary>Removes a chain; returns false if it was not queued.</summary>
    public bool Remove(string id)
    {
        if (!_byId.Remove(id, out var at)) return false;
        var group = _groups[at.Group];
        group.Remove(at.Sequence);
        if (group.Count == 0) _groups.Remove(at.Group);
        return true;
    }

    /// <summary>Takes the oldest chain whose required capabilities the agent provides; null if there is none.</summary>
    public QueuedChain? TryTake(IReadOnlyCollection<string> agentCapabilities)
    {
        QueuedChain? best = null;
        foreach (var group in _groups.Values)
        {
            var head = group.First().Value;
            if (best is not null && head.Sequence >= best.Sequence) continue;
            if (Satisfies(agentCapabilities, head.RequiredCapabilities)) best = head;
        }
        if (best is not null) Remove(best.Id);
        return best;
    }

    /// <summary>Queued chains that none of the given agents can run (e.g. to ask a cloud manager for a fitting agent).</summary>
    public IEnumerable<QueuedChain> Unrunnable(IEnumerable<IReadOnlyCollection<string>> agents)
    {
        var all = agents.ToList();
        foreach (var group in _groups.Values)
        {
            var head = group.First().Value;
            if (!all.Any(a => Satisfies(a, head.RequiredCapabilities))) foreach (var c in group.Values) yield return c;
        }
    }

    /// <summary>True when <paramref name="provided"/> is a superset of <paramref name="required"/>.</summary>
    public static bool Satisfies(IReadOnlyCollection<string> provided, IReadOnlyList<string> required)
    {
        foreach (var r in required) if (!provided.Contains(r)) return false;
        return true;
    }

    private static string GroupKey(IReadOnlyList<string> caps) =>
        caps.Count == 0 ? "" : string.Join('\n', caps.Distinct().Order(StringComparer.Ordinal));
}
