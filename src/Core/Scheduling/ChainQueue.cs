namespace Steep.Core.Scheduling;

/// <summary>
/// The scheduler's queue: chains by priority (higher first) and, within a priority, in registration order; grouped by
/// required capabilities so that an idle agent finds the next chain it can run without scanning chains it cannot
/// (which are skipped, never blocking the rest).
/// </summary>
public sealed class ChainQueue
{
    private readonly Dictionary<string, SortedDictionary<Rank, QueuedChain>> _groups = new();
    private readonly Dictionary<string, (string Group, Rank Rank)> _byId = new();

    /// <summary>Number of queued chains.</summary>
    public int Count => _byId.Count;

    /// <summary>Adds a chain (ignored if already queued).</summary>
    public void Enqueue(QueuedChain chain)
    {
        if (_byId.ContainsKey(chain.Id)) return;
        var key = GroupKey(chain.RequiredCapabilities);
        if (!_groups.TryGetValue(key, out var group)) _groups[key] = group = new SortedDictionary<Rank, QueuedChain>();
        var rank = new Rank(chain.Priority, chain.Sequence);
        group[rank] = chain;
        _byId[chain.Id] = (key, rank);
    }

    /// <summary>Removes a chain; returns false if it was not queued.</summary>
    public bool Remove(string id)
    {
        if (!_byId.Remove(id, out var at)) return false;
        var group = _groups[at.Group];
        group.Remove(at.Rank);
        if (group.Count == 0) _groups.Remove(at.Group);
        return true;
    }

    /// <summary>Removes every queued chain that <paramref name="applies"/> selects; returns them.</summary>
    public IReadOnlyList<QueuedChain> RemoveAll(Func<QueuedChain, bool> applies)
    {
        var removed = new List<QueuedChain>();
        foreach (var group in _groups.Values)
            foreach (var c in group.Values)
                if (applies(c)) removed.Add(c);
        foreach (var c in removed) Remove(c.Id);
        return removed;
    }

    /// <summary>
    /// Gives the queued chains that <paramref name="applies"/> selects a new priority (they keep their place among
    /// chains of that priority); returns how many changed.
    /// </summary>
    public int SetPriority(Func<QueuedChain, bool> applies, int priority)
    {
        var changed = new List<QueuedChain>();
        foreach (var group in _groups.Values)
            foreach (var c in group.Values)
                if (c.Priority != priority && applies(c)) changed.Add(c);
        foreach (var c in changed)
        {
            Remove(c.Id);
            Enqueue(c with { Priority = priority });
        }
        return changed.Count;
    }

    /// <summary>Takes the next chain (highest priority, then oldest) whose required capabilities the agent provides; null if there is none.</summary>
    public QueuedChain? TryTake(IReadOnlyCollection<string> agentCapabilities)
    {
        QueuedChain? best = null;
        Rank bestRank = default;
        foreach (var group in _groups.Values)
        {
            var (rank, head) = group.First();
            if (best is not null && rank.CompareTo(bestRank) >= 0) continue;
            if (Satisfies(agentCapabilities, head.RequiredCapabilities)) (best, bestRank) = (head, rank);
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

    /// <summary>Queue order: higher priority first, then lower sequence.</summary>
    private readonly record struct Rank(int Priority, long Sequence) : IComparable<Rank>
    {
        public int CompareTo(Rank other) =>
            Priority != other.Priority ? other.Priority.CompareTo(Priority) : Sequence.CompareTo(other.Sequence);
    }
}
