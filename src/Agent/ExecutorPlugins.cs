using Steep.Plugins;

namespace Steep.Agent;

/// <summary>
/// The plugins an agent calls while it runs chains: runtimes by <c>supportedRuntime</c>, output adapters by
/// <c>supportedDataType</c>, progress estimators by service id. <see cref="None"/> costs nothing per chain.
/// </summary>
public sealed class ExecutorPlugins
{
    /// <summary>No plugins.</summary>
    public static ExecutorPlugins None { get; } = new(
        new Dictionary<string, NamedPlugin<IRuntime>>(), new Dictionary<string, NamedPlugin<IOutputAdapter>>(),
        new Dictionary<string, NamedPlugin<IProgressEstimator>>());

    /// <summary>Creates the set from the loaded plugins.</summary>
    public ExecutorPlugins(
        IReadOnlyDictionary<string, NamedPlugin<IRuntime>> runtimes,
        IReadOnlyDictionary<string, NamedPlugin<IOutputAdapter>> outputAdapters,
        IReadOnlyDictionary<string, NamedPlugin<IProgressEstimator>> progressEstimators)
    {
        Runtimes = runtimes;
        OutputAdapters = outputAdapters;
        ProgressEstimators = progressEstimators;
    }

    /// <summary>Runtime plugins by the runtime name they provide.</summary>
    public IReadOnlyDictionary<string, NamedPlugin<IRuntime>> Runtimes { get; }

    /// <summary>Output adapters by the data type they collect.</summary>
    public IReadOnlyDictionary<string, NamedPlugin<IOutputAdapter>> OutputAdapters { get; }

    /// <summary>Progress estimators by service id.</summary>
    public IReadOnlyDictionary<string, NamedPlugin<IProgressEstimator>> ProgressEstimators { get; }
}
