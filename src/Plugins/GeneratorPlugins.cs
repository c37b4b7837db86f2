using Steep.Agent;
using Steep.Core.Generator;
using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>Process chain consistency checkers and adapters, in <c>dependsOn</c> order, as the generator and the submission grain call them.</summary>
public sealed class GeneratorPlugins(
    IReadOnlyList<NamedPlugin<IProcessChainConsistencyChecker>> checkers, IReadOnlyList<NamedPlugin<IProcessChainAdapter>> adapters)
    : IGeneratorPlugins
{
    /// <inheritdoc />
    public bool HasAdapters => adapters.Count > 0;

    /// <inheritdoc />
    public Func<IReadOnlyList<Executable>, ExecuteAction, bool>? ConsistencyCheckFor(Workflow workflow)
    {
        if (checkers.Count == 0) return null;
        return (chain, action) =>
        {
            foreach (var c in checkers)
            {
                bool ok;
                try
                {
                    ok = c.Plugin.IsConsistent(chain, action, workflow);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    throw new PluginException($"process chain consistency checker plugin '{c.Name}' failed on action '{action.Id}': {e.Message}");
                }
                if (!ok) return false;
            }
            return true;
        };
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> chains, Workflow workflow, CancellationToken ct)
    {
        foreach (var a in adapters)
        {
            try
            {
                chains = await a.Plugin.AdaptAsync(chains, workflow, ct).ConfigureAwait(false)
                    ?? throw new InvalidOperationException("it returned null instead of a list of process chains");
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new PluginException($"process chain adapter plugin '{a.Name}' failed: {e.Message}");
            }
        }
        return chains;
    }
}
