using Steep.Core.Models;

namespace Steep.Agent;

/// <summary>Runs the executables of a process chain in order and collects their outputs.</summary>
public interface IProcessChainExecutor
{
    /// <summary>
    /// Runs <paramref name="chain"/>. Never throws for failures of the services: they come back as an outcome with
    /// status ERROR. Cancelling <paramref name="ct"/> kills the running process tree and returns CANCELLED.
    /// </summary>
    Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct);

    /// <summary>
    /// Runs <paramref name="chain"/> as its run number <paramref name="runNumber"/> (from 1; Steep 6.5's runs), so that
    /// each run can keep a log of its own. Executors without per-run state run the chain as <see cref="ExecuteAsync(ProcessChain, CancellationToken)"/>.
    /// </summary>
    Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, int runNumber, CancellationToken ct) => ExecuteAsync(chain, ct);
}
