using System.Reflection;
using System.Text.Json.Serialization;

namespace Steep.Api;

/// <summary>Version information as returned by <c>GET /</c> (Steep's field names).</summary>
/// <param name="Version">The software version.</param>
/// <param name="Build">A build id ("unknown" when the build did not set one).</param>
/// <param name="Commit">The Git commit the build was made from ("unknown" when not known).</param>
/// <param name="Timestamp">When the build was made, in milliseconds since the Unix epoch.</param>
public sealed record SteepVersion(
    [property: JsonPropertyName("version")] string Version,
    [property: JsonPropertyName("build")] string Build,
    [property: JsonPropertyName("commit")] string Commit,
    [property: JsonPropertyName("timestamp")] long Timestamp)
{
    /// <summary>The value of a field nobody set.</summary>
    public const string Unknown = "unknown";

    /// <summary>
    /// Reads an assembly's metadata: the informational version ("1.2.3+commit", as the SDK writes it from Git), the
    /// assembly metadata "SteepBuild", "SteepCommit" and "SteepBuildTimestamp" when a build sets them, then the
    /// environment variables STEEP_BUILD and STEEP_COMMIT (e.g. set by a container image), and the file's write time.
    /// </summary>
    public static SteepVersion FromAssembly(Assembly assembly, IReadOnlyDictionary<string, string?>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        string? Env(string name) => environment is not null
            ? environment.GetValueOrDefault(name)
            : Environment.GetEnvironmentVariable(name);
        var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Where(a => !string.IsNullOrWhiteSpace(a.Value))
            .GroupBy(a => a.Key).ToDictionary(g => g.Key, g => g.Last().Value!);

        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString() ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        var version = plus >= 0 ? informational[..plus] : informational;
        var sourceCommit = plus >= 0 ? informational[(plus + 1)..] : null;

        var commit = metadata.GetValueOrDefault("SteepCommit") ?? NonEmpty(sourceCommit) ?? NonEmpty(Env("STEEP_COMMIT")) ?? Unknown;
        var build = metadata.GetValueOrDefault("SteepBuild") ?? NonEmpty(Env("STEEP_BUILD")) ?? Unknown;
        long timestamp = 0;
        if (metadata.GetValueOrDefault("SteepBuildTimestamp") is { } ts && long.TryParse(ts, out var parsed)) timestamp = parsed;
        else if (!string.IsNullOrEmpty(assembly.Location) && File.Exists(assembly.Location))
            timestamp = new DateTimeOffset(File.GetLastWriteTimeUtc(assembly.Location)).ToUnixTimeMilliseconds();
        return new SteepVersion(version, build, commit, timestamp);
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
