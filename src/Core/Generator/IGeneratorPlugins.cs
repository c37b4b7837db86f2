using Steep.Core.Models;

namespace Steep.Core.Generator;

/// <summary>
/// The plugins that take part in generating process chains: consistency checkers (asked inside the generator) and
/// process chain adapters (applied to each step's chains before they are stored).
/// </summary>
public interface IGeneratorPlugins
{
    /// <summary>The check for <see cref="GeneratorOptions.ConsistencyCheck"/> of a workflow's generator; null when there are no checkers.</summary>
    Func<IReadOnlyList<Executable>, ExecuteAction, bool>? ConsistencyCheckFor(Workflow workflow);

    /// <summary>True when there is at least one process chain adapter.</summary>
    bool HasAdapters { get; }

    /// <summary>
    /// The chains after every adapter ran, in <c>dependsOn</c> order. Throws an exception whose message names the
    /// failing plugin.
    /// </summary>
    Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> chains, Workflow workflow, CancellationToken ct);
}
