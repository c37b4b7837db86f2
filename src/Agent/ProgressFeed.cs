using Steep.Core.Models;
using Steep.Plugins;

namespace Steep.Agent;

/// <summary>
/// Hands the output lines of one executable to its progress estimator and turns the estimate into the chain's
/// progress: executables before it count as done, the estimate is its share of the rest.
/// </summary>
internal sealed class ProgressFeed(
    NamedPlugin<IProgressEstimator> estimator, Executable executable, string chainId, int index, int count, ChainProgress progress,
    ChainLog log)
{
    private const int RecentLines = 20;
    private readonly List<string> _recent = new(RecentLines);
    private bool _failed;

    /// <summary>Called for each line (from two threads: stdout and stderr).</summary>
    public void Add(string line)
    {
        lock (_recent)
        {
            if (_failed) return;
            if (_recent.Count == RecentLines) _recent.RemoveAt(0);
            _recent.Add(line);
            double? estimate;
            try
            {
                estimate = estimator.Plugin.Estimate(executable, _recent);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // an estimate is a nicety: a broken estimator is reported once and the chain runs on
                _failed = true;
                log.WriteLine($"=== progress estimator plugin '{estimator.Name}' failed: {e.Message}");
                return;
            }
            if (estimate is { } p && double.IsFinite(p)) progress.Set(chainId, (index + Math.Clamp(p, 0.0, 1.0)) / count);
        }
    }
}
