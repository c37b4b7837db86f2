using System.Collections.Concurrent;
using Steep.Core.Models;

namespace Steep.Grains;

/// <summary>
/// Chains just registered by a submission, handed to their first activation so that it need not read back from the
/// store what was written a moment ago. Bounded: beyond the capacity, activations read the store as usual.
/// </summary>
public sealed class FreshChains(int capacity = 10_000)
{
    private readonly ConcurrentDictionary<string, ProcessChain> _chains = new(StringComparer.Ordinal);

    /// <summary>Keeps committed REGISTERED chains for their first activation (as many as fit).</summary>
    public void Add(IEnumerable<ProcessChain> chains)
    {
        foreach (var c in chains)
        {
            if (_chains.Count >= capacity) return;
            _chains.TryAdd(c.Id, c);
        }
    }

    /// <summary>
    /// Keeps a chain as registered (never run) for the activation its holder is about to cause, whatever the capacity:
    /// the holder takes it back with <see cref="TryTake"/> right after, so it cannot go stale.
    /// </summary>
    public void Hand(ProcessChain chain) => _chains.TryAdd(chain.Id, chain);

    /// <summary>Takes the chain if it is kept; later activations read the store.</summary>
    public bool TryTake(string chainId, out ProcessChain chain) => _chains.TryRemove(chainId, out chain!);
}
