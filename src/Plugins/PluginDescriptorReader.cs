using System.Text.Json.Nodes;
using Steep.Core.Serialization;

namespace Steep.Plugins;

/// <summary>
/// Reads plugin descriptor files (Steep's format: a list of objects with <c>name</c>, <c>type</c>, <c>scriptFile</c>,
/// <c>version</c>, <c>dependsOn</c> and the type's own keys) and checks them together: unique names, the keys each type
/// needs, <c>dependsOn</c> naming plugins of the same type without a cycle.
/// </summary>
public static class PluginDescriptorReader
{
    private static readonly HashSet<string> KnownKeys =
        ["name", "type", "scriptFile", "version", "dependsOn", "supportedRuntime", "supportedDataType", "supportedServiceIds", "supportedServiceId"];

    /// <summary>
    /// The descriptor files of <paramref name="location"/>: the file itself, or every <c>.yaml</c>/<c>.yml</c>/<c>.json</c>
    /// file of a folder in name order. A missing location is an error unless <paramref name="optional"/>.
    /// </summary>
    public static IReadOnlyList<string> FilesOf(string location, bool optional)
    {
        if (File.Exists(location)) return [Path.GetFullPath(location)];
        if (Directory.Exists(location))
        {
            return Directory.EnumerateFiles(location)
                .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                .Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
        }
        if (optional) return [];
        throw new PluginException($"{location}: plugin descriptor file or folder not found (set by steep.plugins or STEEP_PLUGINS)");
    }

    /// <summary>Reads and checks the descriptors of <paramref name="files"/>; relative script paths are resolved against <paramref name="home"/> first, then the descriptor's folder.</summary>
    public static IReadOnlyList<PluginDescriptor> Read(IEnumerable<string> files, string home)
    {
        var all = new List<PluginDescriptor>();
        foreach (var file in files) all.AddRange(ReadFile(file, home));
        Check(all);
        return all;
    }

    private static List<PluginDescriptor> ReadFile(string file, string home)
    {
        JsonNode? root;
        try
        {
            root = ModelReader.ParseDocument(File.ReadAllText(file), file);
        }
        catch (ModelFormatException e)
        {
            throw new PluginException(e.Message.StartsWith(file, StringComparison.Ordinal) ? e.Message : $"{file}: {e.Message}");
        }
        catch (IOException e)
        {
            throw new PluginException($"{file}: cannot read the plugin descriptors: {e.Message}");
        }
        if (root is null) return [];
        var entries = root as JsonArray ?? (root is JsonObject ? new JsonArray(root.DeepClone()) : null)
            ?? throw new PluginException($"{file}: plugin descriptors must be a list of objects with name, type and scriptFile");
        var result = new List<PluginDescriptor>();
        for (int i = 0; i < entries.Count; i++)
        {
            var where = $"{file}: plugins[{i}]";
            if (entries[i] is not JsonObject o) throw new PluginException($"{where}: must be an object with name, type and scriptFile");
            foreach (var (key, _) in o)
            {
                if (!KnownKeys.Contains(key))
                    throw new PluginException($"{where}.{key}: unknown key; a descriptor has {string.Join(", ", KnownKeys.Where(k => k != "supportedServiceId"))}");
            }
            var name = Required(o, "name", where);
            where = $"{file}: plugins[{i}] ('{name}')";
            var type = Required(o, "type", where);
            if (PluginTypes.InterfaceOf(type) is null)
                throw new PluginException($"{where}.type: unknown plugin type '{type}'; use one of {string.Join(", ", PluginTypes.All)}");
            var script = Required(o, "scriptFile", where);
            var ext = Path.GetExtension(script).ToLowerInvariant();
            if (ext is not (".cs" or ".csx" or ".dll"))
                throw new PluginException($"{where}.scriptFile: '{script}' must be a C# file (.cs, .csx) or an assembly (.dll)");
            var resolved = Resolve(script, home, Path.GetDirectoryName(file)!)
                ?? throw new PluginException($"{where}.scriptFile: '{script}' not found (relative paths are looked up in {home} and in {Path.GetDirectoryName(file)})");

            IReadOnlyList<string>? dependsOn = null;
            if (PluginTypes.HasDependsOn(type)) dependsOn = List(o, "dependsOn", where);
            else if (o.ContainsKey("dependsOn")) throw new PluginException($"{where}.dependsOn: only initializers, process chain adapters and consistency checkers have dependsOn");
            string? runtime = null, dataType = null;
            IReadOnlyList<string>? serviceIds = null;
            switch (type)
            {
                case PluginTypes.Runtime:
                    runtime = Required(o, "supportedRuntime", where);
                    break;
                case PluginTypes.OutputAdapter:
                    dataType = Required(o, "supportedDataType", where);
                    break;
                case PluginTypes.ProgressEstimator:
                    // Steep 5's single supportedServiceId is still read, as Steep 6 does
                    var ids = List(o, "supportedServiceIds", where).ToList();
                    if (Optional(o, "supportedServiceId", where) is { } one) ids.Add(one);
                    if (ids.Count == 0) throw new PluginException($"{where}.supportedServiceIds: missing; name the service ids whose output the estimator reads");
                    serviceIds = ids;
                    break;
            }
            result.Add(new PluginDescriptor
            {
                Name = name, Type = type, ScriptFile = script, Version = Optional(o, "version", where), DependsOn = dependsOn,
                SupportedRuntime = runtime, SupportedDataType = dataType, SupportedServiceIds = serviceIds,
                ResolvedPath = resolved, Origin = where,
            });
        }
        return result;
    }

    private static string? Resolve(string script, string home, string descriptorDirectory)
    {
        if (Path.IsPathRooted(script)) return File.Exists(script) ? script : null;
        // Steep resolves script paths against its home (conf/plugins/x.kts); a path next to the descriptor is found too
        foreach (var dir in new[] { home, descriptorDirectory })
        {
            var full = Path.GetFullPath(script, dir);
            if (File.Exists(full)) return full;
        }
        return null;
    }

    private static void Check(List<PluginDescriptor> all)
    {
        var byName = new Dictionary<string, PluginDescriptor>(StringComparer.Ordinal);
        foreach (var d in all)
        {
            if (byName.TryGetValue(d.Name, out var other))
                throw new PluginException($"{d.Origin}.name: '{d.Name}' is the name of another plugin too ({other.Origin}); names must be unique");
            byName[d.Name] = d;
        }
        var runtimes = new Dictionary<string, PluginDescriptor>(StringComparer.Ordinal);
        var dataTypes = new Dictionary<string, PluginDescriptor>(StringComparer.Ordinal);
        foreach (var d in all)
        {
            if (d.SupportedRuntime is { } r && !runtimes.TryAdd(r, d))
                throw new PluginException($"{d.Origin}.supportedRuntime: runtime '{r}' is provided by plugin '{runtimes[r].Name}' already");
            if (d.SupportedDataType is { } t && !dataTypes.TryAdd(t, d))
                throw new PluginException($"{d.Origin}.supportedDataType: data type '{t}' is collected by plugin '{dataTypes[t].Name}' already");
            foreach (var dep in d.DependsOn ?? [])
            {
                if (!byName.TryGetValue(dep, out var target))
                    throw new PluginException($"{d.Origin}.dependsOn: no plugin is called '{dep}'");
                if (target.Type != d.Type)
                    throw new PluginException($"{d.Origin}.dependsOn: '{dep}' is a {target.Type}, not a {d.Type}; dependsOn names plugins of the same type");
            }
        }
        foreach (var type in PluginTypes.All) Order(all.Where(d => d.Type == type).ToList());
    }

    /// <summary>
    /// <paramref name="plugins"/> (of one type) in an order where each comes after the plugins it depends on; plugins
    /// without a dependency between them keep the order they were read in.
    /// </summary>
    public static IReadOnlyList<PluginDescriptor> Order(IReadOnlyList<PluginDescriptor> plugins)
    {
        var byName = plugins.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var result = new List<PluginDescriptor>(plugins.Count);
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1: on the path, 2: done
        foreach (var p in plugins) Visit(p, []);
        return result;

        void Visit(PluginDescriptor p, List<string> path)
        {
            if (state.TryGetValue(p.Name, out int s))
            {
                if (s == 2) return;
                var cycle = path.SkipWhile(n => n != p.Name).Append(p.Name);
                throw new PluginException($"{p.Origin}.dependsOn: plugins depend on each other in a cycle: {string.Join(" -> ", cycle)}");
            }
            state[p.Name] = 1;
            path.Add(p.Name);
            foreach (var dep in p.DependsOn ?? [])
            {
                if (byName.TryGetValue(dep, out var d)) Visit(d, path);
            }
            path.RemoveAt(path.Count - 1);
            state[p.Name] = 2;
            result.Add(p);
        }
    }

    private static string Required(JsonObject o, string key, string where) =>
        Optional(o, key, where) is { Length: > 0 } s ? s : throw new PluginException($"{where}.{key}: missing; every {(key.StartsWith("supported", StringComparison.Ordinal) ? "plugin of this type" : "plugin")} needs a {key}");

    private static string? Optional(JsonObject o, string key, string where)
    {
        if (!o.TryGetPropertyValue(key, out var node) || node is null) return null;
        if (node is JsonValue v) return ValueText.Of(v);
        throw new PluginException($"{where}.{key}: must be a string");
    }

    private static IReadOnlyList<string> List(JsonObject o, string key, string where)
    {
        if (!o.TryGetPropertyValue(key, out var node) || node is null) return [];
        if (node is JsonValue v) return [ValueText.Of(v)];
        if (node is JsonArray a && a.All(x => x is JsonValue))
            return a.Select(x => ValueText.Of(x!)).ToList();
        throw new PluginException($"{where}.{key}: must be a list of names");
    }
}
