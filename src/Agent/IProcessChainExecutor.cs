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
}
