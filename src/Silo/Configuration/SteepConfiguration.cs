using System.Globalization;
using System.Text.Json.Nodes;
using Steep.Core.Serialization;

namespace Steep.Silo.Configuration;

/// <summary>
/// conf/steep.yaml flattened into dotted keys ("steep.http.host"); every key can be overridden by the environment
/// variable STEEP_ + the key without its "steep." prefix, upper-cased, dots as underscores (STEEP_HTTP_HOST).
/// </summary>
public sealed class SteepConfiguration
{
    private readonly Dictionary<string, JsonNode?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly IReadOnlyDictionary<string, string> _environment;

    /// <summary>The file the configuration was read from, if any.</summary>
    public string? Source { get; }

    /// <summary>The folder relative paths in the configuration are resolved against (the one holding conf/).</summary>
    public string Home { get; }

    private SteepConfiguration(string home, string? source, JsonNode? root, IReadOnlyDictionary<string, string> environment)
    {
        Home = home;
        Source = source;
        _environment = environment;
        Flatten(root, "");
    }

    /// <summary>Loads conf/steep.yaml below <paramref name="home"/> (a missing file means defaults) and the environment.</summary>
    public static SteepConfiguration Load(string home, IReadOnlyDictionary<string, string>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value ?? "");
        var file = Path.Combine(home, "conf", "steep.yaml");
        JsonNode? root = null;
        if (File.Exists(file)) root = ModelReader.ParseDocument(File.ReadAllText(file), file);
        return new SteepConfiguration(home, File.Exists(file) ? file : null, root, environment);
    }

    private void Flatten(JsonNode? node, string prefix)
    {
        if (node is JsonObject obj)
        {
            foreach (var (k, v) in obj) Flatten(v, prefix.Length == 0 ? k : prefix + "." + k);
        }
        else if (prefix.Length > 0) _values[prefix] = node;
    }

    /// <summary>The environment variable that overrides <paramref name="key"/>.</summary>
    public static string EnvironmentName(string key)
    {
        var k = key.StartsWith("steep.", StringComparison.OrdinalIgnoreCase) ? key[6..] : key;
        return "STEEP_" + k.Replace('.', '_').ToUpperInvariant();
    }

    /// <summary>The value of a key as text (environment first), or null.</summary>
    public string? GetString(string key)
    {
        if (_environment.TryGetValue(EnvironmentName(key), out var env) && env.Length > 0) return env;
        return _values.TryGetValue(key, out var node) && node is not null ? ValueText.Of(node) : null;
    }

    /// <summary>The value of a key as a list: a YAML list, or a comma-separated string (e.g. from the environment).</summary>
    public IReadOnlyList<string> GetList(string key)
    {
        if (_environment.TryGetValue(EnvironmentName(key), out var env) && env.Length > 0)
            return env.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (!_values.TryGetValue(key, out var node) || node is null) return [];
        return node is JsonArray arr ? arr.Where(x => x is not null).Select(x => ValueText.Of(x!)).ToList() : [ValueText.Of(node)];
    }

    /// <summary>The value of a key as a map (e.g. environment variables for Docker).</summary>
    public IReadOnlyDictionary<string, string> GetMap(string key)
    {
        var prefix = key + ".";
        return _values.Where(kv => kv.Key.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && kv.Value is not null)
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => ValueText.Of(kv.Value!));
    }

    /// <summary>An integer value, or <paramref name="fallback"/>; a value that is not a number is an error naming the key.</summary>
    public int GetInt(string key, int fallback)
    {
        var s = GetString(key);
        if (s is null) return fallback;
        if (int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v)) return v;
        throw new ModelFormatException($"configuration '{key}' (or {EnvironmentName(key)}) must be a whole number, not '{s}'");
    }

    /// <summary>A yes/no value (<c>true</c>/<c>false</c>, as YAML and Steep write them), or <paramref name="fallback"/>; anything else is an error naming the key.</summary>
    public bool GetBool(string key, bool fallback)
    {
        var s = GetString(key);
        if (s is null) return fallback;
        if (bool.TryParse(s.Trim(), out bool v)) return v;
        throw new ModelFormatException($"configuration '{key}' (or {EnvironmentName(key)}) must be true or false, not '{s}'");
    }

    /// <summary>A whole number of at least <paramref name="min"/>, or <paramref name="fallback"/>; anything else is an error naming the key.</summary>
    public long GetLong(string key, long fallback, long min = 0)
    {
        var s = GetString(key);
        if (s is null) return fallback;
        if (long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out long v) && v >= min) return v;
        throw new ModelFormatException($"configuration '{key}' (or {EnvironmentName(key)}) must be a whole number of at least {min}, not '{s}'");
    }

    /// <summary>
    /// A duration ("2s", "1m 30s", "500ms", ISO 8601 "PT2S" or milliseconds) of at least <paramref name="min"/>, or
    /// <paramref name="fallback"/>; anything else is an error naming the key.
    /// </summary>
    public TimeSpan GetDuration(string key, TimeSpan fallback, TimeSpan min)
    {
        var s = GetString(key);
        if (s is null) return fallback;
        if (Durations.TryParseMillis(s, out long ms) && TimeSpan.FromMilliseconds(ms) >= min) return TimeSpan.FromMilliseconds(ms);
        throw new ModelFormatException(
            $"configuration '{key}' (or {EnvironmentName(key)}) must be a duration of at least {min.TotalMilliseconds:0}ms such as '2s' or '1m 30s', not '{s}'");
    }

    /// <summary>A path value resolved against <see cref="Home"/>, or <paramref name="fallback"/>.</summary>
    public string GetPath(string key, string fallback)
    {
        var s = GetString(key) ?? fallback;
        return Path.GetFullPath(s, Home);
    }
}
