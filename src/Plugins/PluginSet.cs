using Steep.Agent;

namespace Steep.Plugins;

/// <summary>
/// The plugins of one steep process, loaded and ordered: the descriptors (for <c>GET /plugins</c>), the initializers,
/// the generator's hooks and the agent's. <see cref="Empty"/> when nothing is configured.
/// </summary>
public sealed class PluginSet
{
    /// <summary>No plugins.</summary>
    public static PluginSet Empty { get; } = new([], [], null, ExecutorPlugins.None, TimeSpan.Zero, 0, 0);

    internal PluginSet(
        IReadOnlyList<PluginDescriptor> descriptors, IReadOnlyList<NamedPlugin<IInitializer>> initializers, GeneratorPlugins? generator,
        ExecutorPlugins executor, TimeSpan loadTime, int compiled, int cacheHits)
    {
        Descriptors = descriptors;
        Initializers = initializers;
        Generator = generator;
        Executor = executor;
        LoadTime = loadTime;
        Compiled = compiled;
        CacheHits = cacheHits;
    }

    /// <summary>Every descriptor, in the order read.</summary>
    public IReadOnlyList<PluginDescriptor> Descriptors { get; }

    /// <summary>Initializers in <c>dependsOn</c> order.</summary>
    public IReadOnlyList<NamedPlugin<IInitializer>> Initializers { get; }

    /// <summary>Consistency checkers and process chain adapters; null when there are none (no cost per step).</summary>
    public GeneratorPlugins? Generator { get; }

    /// <summary>Runtimes, output adapters and progress estimators for the agents.</summary>
    public ExecutorPlugins Executor { get; }

    /// <summary>How long reading, compiling (or loading from the cache) and instantiating took.</summary>
    public TimeSpan LoadTime { get; }

    /// <summary>How many C# files were compiled.</summary>
    public int Compiled { get; }

    /// <summary>How many C# files were taken from the cache of compiled assemblies.</summary>
    public int CacheHits { get; }

    /// <summary>Runs the initializers one after another; the first that throws stops start-up with its name.</summary>
    /// <exception cref="PluginException">an initializer failed.</exception>
    public async Task InitializeAsync(PluginContext context, CancellationToken ct)
    {
        foreach (var i in Initializers)
        {
            try
            {
                await i.Plugin.InitializeAsync(context, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                throw;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                throw new PluginException($"initializer plugin '{i.Name}' failed: {e.Message}");
            }
        }
    }
}
