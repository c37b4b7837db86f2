namespace Steep.Plugins;

/// <summary>The values of a descriptor's <c>type</c>, as in Steep.</summary>
public static class PluginTypes
{
    /// <summary>Runs once at start, before any submission is processed (<see cref="IInitializer"/>).</summary>
    public const string Initializer = "initializer";

    /// <summary>Collects the output values of arguments of one data type (<see cref="IOutputAdapter"/>).</summary>
    public const string OutputAdapter = "outputAdapter";

    /// <summary>Rewrites the process chains of a generator step before they are stored (<see cref="IProcessChainAdapter"/>).</summary>
    public const string ProcessChainAdapter = "processChainAdapter";

    /// <summary>Says whether an action may join a process chain (<see cref="IProcessChainConsistencyChecker"/>).</summary>
    public const string ProcessChainConsistencyChecker = "processChainConsistencyChecker";

    /// <summary>Estimates a running executable's progress from its output (<see cref="IProgressEstimator"/>).</summary>
    public const string ProgressEstimator = "progressEstimator";

    /// <summary>Runs executables of one <c>runtime</c> (<see cref="IRuntime"/>).</summary>
    public const string Runtime = "runtime";

    /// <summary>Every type, in the order of this class.</summary>
    public static IReadOnlyList<string> All { get; } =
        [Initializer, OutputAdapter, ProcessChainAdapter, ProcessChainConsistencyChecker, ProgressEstimator, Runtime];

    /// <summary>The types whose plugins are ordered by <c>dependsOn</c>.</summary>
    public static bool HasDependsOn(string type) =>
        type is Initializer or ProcessChainAdapter or ProcessChainConsistencyChecker;

    /// <summary>The interface a plugin of <paramref name="type"/> implements, or null for an unknown type.</summary>
    public static Type? InterfaceOf(string type) => type switch
    {
        Initializer => typeof(IInitializer),
        OutputAdapter => typeof(IOutputAdapter),
        ProcessChainAdapter => typeof(IProcessChainAdapter),
        ProcessChainConsistencyChecker => typeof(IProcessChainConsistencyChecker),
        ProgressEstimator => typeof(IProgressEstimator),
        Runtime => typeof(IRuntime),
        _ => null,
    };
}
