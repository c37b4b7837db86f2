using System.Collections.Concurrent;

namespace Steep.Agent;

/// <summary>
/// The latest <c>estimatedProgress</c> (0.0 to 1.0) of each running chain of this process, written by progress
/// estimator plugins and read by the HTTP API; a chain's entry goes when it ends.
/// </summary>
public sealed class ChainProgress
{
    private readonly ConcurrentDictionary<string, double> _progress = new(StringComparer.Ordinal);

    /// <summary>Sets the estimate of a chain (clamped to 0..1).</summary>
    public void Set(string chainId, double progress) => _progress[chainId] = Math.Clamp(progress, 0.0, 1.0);

    /// <summary>Forgets a chain.</summary>
    public void Remove(string chainId) => _progress.TryRemove(chainId, out _);

    /// <summary>The estimate of a running chain, or null.</summary>
    public double? Get(string chainId) => _progress.TryGetValue(chainId, out var p) ? p : null;
}
