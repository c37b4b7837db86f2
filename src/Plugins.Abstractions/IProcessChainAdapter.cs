using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>
/// A <c>processChainAdapter</c> plugin: may rewrite the process chains of each generator step before they are stored
/// and scheduled (adapters run in <c>dependsOn</c> order, each on the previous one's result). An exception fails the
/// chains of that step with an error naming the plugin.
/// </summary>
public interface IProcessChainAdapter
{
    /// <summary>The chains to store instead of <paramref name="processChains"/> (return them unchanged for no change).</summary>
    Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> processChains, Workflow workflow, CancellationToken ct);
}
