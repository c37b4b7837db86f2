using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Steep.Agent;

namespace Steep.Plugins;

/// <summary>
/// Loads the plugins of a steep: reads the descriptors, compiles C# files (or takes them from the cache in the data
/// directory), loads assemblies and creates one object per plugin from the public class implementing its type's
/// interface. Any problem stops start-up with a <see cref="PluginException"/> naming the file and plugin.
/// </summary>
public static class PluginLoader
{
    /// <summary>
    /// The descriptor files steep reads: <paramref name="configured"/> (<c>steep.plugins</c>, a file or folder,
    /// relative to <paramref name="home"/>) or else <c>conf/plugins/</c> below <paramref name="home"/> (when it exists).
    /// </summary>
    public static IReadOnlyList<string> DescriptorFiles(string home, string? configured) =>
        configured is { Length: > 0 }
            ? PluginDescriptorReader.FilesOf(Path.GetFullPath(configured, home), optional: false)
            : PluginDescriptorReader.FilesOf(Path.Combine(home, "conf", "plugins"), optional: true);

    /// <summary>Loads the plugins described in <paramref name="descriptorFiles"/>; compiled assemblies are cached in <paramref name="cacheDirectory"/>.</summary>
    /// <exception cref="PluginException">a descriptor is wrong, a file does not compile or has no plugin class.</exception>
    public static PluginSet Load(IReadOnlyList<string> descriptorFiles, string home, string cacheDirectory)
    {
        if (descriptorFiles.Count == 0) return PluginSet.Empty;
        var watch = Stopwatch.StartNew();
        var descriptors = PluginDescriptorReader.Read(descriptorFiles, home);
        if (descriptors.Count == 0) return PluginSet.Empty;

        var compiler = new PluginCompiler(cacheDirectory);
        var objects = new Dictionary<string, object>(StringComparer.Ordinal);
        foreach (var d in descriptors) objects[d.Name] = Instantiate(d, compiler);

        NamedPlugin<T> Named<T>(PluginDescriptor d) where T : class => new(d.Name, (T)objects[d.Name]);
        List<NamedPlugin<T>> Ordered<T>(string type) where T : class =>
            PluginDescriptorReader.Order(descriptors.Where(d => d.Type == type).ToList()).Select(Named<T>).ToList();

        var checkers = Ordered<IProcessChainConsistencyChecker>(PluginTypes.ProcessChainConsistencyChecker);
        var adapters = Ordered<IProcessChainAdapter>(PluginTypes.ProcessChainAdapter);
        var executor = new ExecutorPlugins(
            descriptors.Where(d => d.Type == PluginTypes.Runtime).ToDictionary(d => d.SupportedRuntime!, Named<IRuntime>, StringComparer.Ordinal),
            descriptors.Where(d => d.Type == PluginTypes.OutputAdapter).ToDictionary(d => d.SupportedDataType!, Named<IOutputAdapter>, StringComparer.Ordinal),
            descriptors.Where(d => d.Type == PluginTypes.ProgressEstimator)
                .SelectMany(d => d.SupportedServiceIds!.Select(id => (id, d)))
                .GroupBy(x => x.id, StringComparer.Ordinal)
                .ToDictionary(g => g.Key, g => Named<IProgressEstimator>(g.First().d), StringComparer.Ordinal));
        return new PluginSet(
            descriptors, Ordered<IInitializer>(PluginTypes.Initializer),
            checkers.Count + adapters.Count > 0 ? new GeneratorPlugins(checkers, adapters) : null,
            executor, watch.Elapsed, compiler.Compiled, compiler.CacheHits);
    }

    private static object Instantiate(PluginDescriptor d, PluginCompiler compiler)
    {
        var where = $"{d.Origin} ({d.ResolvedPath})";
        var path = d.ResolvedPath.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)
            ? d.ResolvedPath
            : compiler.Compile(d.ResolvedPath, d.Name);
        Assembly assembly;
        try
        {
            // a context of its own per plugin: two files may compile to the same assembly name (a .dll copied from the
            // cache, a plugin loaded twice by tests); steep's own assemblies still come from the default context
            assembly = new AssemblyLoadContext($"steep-plugin:{d.Name}").LoadFromAssemblyPath(path);
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            throw new PluginException($"{where}: cannot load the assembly: {e.Message}");
        }

        var contract = PluginTypes.InterfaceOf(d.Type)!;
        Type[] types;
        try
        {
            types = assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            types = e.Types.Where(t => t is not null).ToArray()!;
        }
        var candidates = types.Where(t => t is { IsClass: true, IsAbstract: false } && contract.IsAssignableFrom(t)).ToList();
        // a file may hold several plugins: the class named like the plugin is the one (as Steep's function of that name)
        if (candidates.Count > 1)
        {
            var named = candidates.Where(t => string.Equals(t.Name, d.Name, StringComparison.OrdinalIgnoreCase)).ToList();
            if (named.Count == 1) candidates = named;
        }
        if (candidates.Count == 0)
            throw new PluginException($"{where}: no class implements {contract.FullName} (a plugin of type '{d.Type}' is a class implementing it with a public constructor without parameters)");
        if (candidates.Count > 1)
            throw new PluginException($"{where}: several classes implement {contract.FullName} ({string.Join(", ", candidates.Select(t => t.Name))}); name one like the plugin, '{d.Name}'");
        var type = candidates[0];
        if (type.GetConstructor(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance, Type.EmptyTypes) is not { } ctor)
            throw new PluginException($"{where}: class {type.Name} needs a constructor without parameters");
        try
        {
            return ctor.Invoke(null);
        }
        catch (TargetInvocationException e)
        {
            throw new PluginException($"{where}: the constructor of {type.Name} failed: {e.InnerException?.Message ?? e.Message}");
        }
    }
}
