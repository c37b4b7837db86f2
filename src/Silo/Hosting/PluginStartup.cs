using Steep.Plugins;

namespace Steep.Silo.Hosting;

/// <summary>Loads the plugins of <c>run</c>, <c>resume</c> and <c>serve</c> and runs the initializers, before anything else starts.</summary>
internal static class PluginStartup
{
    /// <summary>
    /// The settings with their plugins: the descriptors of <c>steep.plugins</c> (or <c>conf/plugins/</c>), compiled C#
    /// files cached in <c>&lt;data&gt;/plugins</c>; then every initializer has run.
    /// </summary>
    /// <exception cref="PluginException">a descriptor, a compile error or an initializer stops start-up.</exception>
    public static async Task<HostSettings> LoadAsync(HostSettings settings, CancellationToken ct)
    {
        var files = PluginLoader.DescriptorFiles(settings.Home, settings.PluginsLocation);
        if (files.Count == 0) return settings;
        var plugins = PluginLoader.Load(files, settings.Home, Path.Combine(settings.DataDirectory, "plugins"));
        StartupTrace.Mark($"{plugins.Descriptors.Count} plugins loaded in {plugins.LoadTime.TotalMilliseconds:F0} ms ({plugins.Compiled} compiled, {plugins.CacheHits} from the cache)");
        await plugins.InitializeAsync(new PluginContext(settings.Home, settings.DataDirectory), ct);
        return settings with { Plugins = plugins };
    }
}
