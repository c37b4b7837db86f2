namespace Steep.Agent;

/// <summary>Finds the program file of an executable (runtime <c>other</c>, and the Docker client).</summary>
internal static class ProgramResolver
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Resolves <paramref name="path"/>: absolute as is; with a '/' relative to the service's directory if known, else
    /// to the working directory; a bare name in the service's directory if an executable file of that name is there,
    /// else on PATH. Returns null and a reason when nothing fits.
    /// </summary>
    public static string? Resolve(string path, string? serviceDirectory, string workingDirectory, out string? error)
    {
        error = null;
        if (path.Length == 0)
        {
            error = "the executable has an empty path";
            return null;
        }
        if (Path.IsPathRooted(path)) return Exists(path, ref error);
        if (path.Contains('/'))
            return Exists(Path.GetFullPath(path, serviceDirectory ?? workingDirectory), ref error);

        string? notExecutable = null;
        if (serviceDirectory is not null)
        {
            var candidate = Path.Combine(serviceDirectory, path);
            if (File.Exists(candidate))
            {
                if (IsExecutable(candidate)) return candidate;
                notExecutable = candidate;
            }
        }
        var found = FindOnPath(path);
        if (found is not null) return found;
        error = notExecutable is not null
            ? $"'{notExecutable}' is not executable and '{path}' was not found on PATH"
            : $"'{path}' was not found {(serviceDirectory is null ? "" : $"in the service directory '{serviceDirectory}' or ")}on PATH";
        return null;
    }

    // PATH lookups stat every PATH directory; a service runs thousands of times, so remember hits for a while
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string Path, string Name), (string Found, long At)> PathHits = new();
    private static readonly TimeSpan PathHitLifetime = TimeSpan.FromSeconds(30);

    /// <summary>The first executable file called <paramref name="name"/> in the directories of PATH.</summary>
    public static string? FindOnPath(string name)
    {
        var pathVar = Environment.GetEnvironmentVariable("PATH");
        if (string.IsNullOrEmpty(pathVar)) return null;
        long now = Environment.TickCount64;
        if (PathHits.TryGetValue((pathVar, name), out var hit) && now - hit.At < PathHitLifetime.TotalMilliseconds && File.Exists(hit.Found))
            return hit.Found;
        var found = SearchPath(pathVar, name);
        if (found is not null) PathHits[(pathVar, name)] = (found, now);
        return found;
    }

    private static string? SearchPath(string pathVar, string name)
    {
        foreach (var dir in pathVar.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, name);
            if (IsExecutableFile(candidate)) return candidate;
        }
        return null;
    }

    private static string? Exists(string full, ref string? error)
    {
        if (File.Exists(full)) return full; // whether it may be executed is left to the start, which names the reason
        error = Directory.Exists(full) ? $"'{full}' is a directory" : $"'{full}' does not exist";
        return null;
    }

    internal static bool IsExecutableFile(string path) => File.Exists(path) && IsExecutable(path);

    /// <summary>Whether an existing file may be executed by someone (any execute bit).</summary>
    private static bool IsExecutable(string file)
    {
        try
        {
            // Windows has no execute bit: any file will do there
            return OperatingSystem.IsWindows() || (File.GetUnixFileMode(file) & AnyExecute) != 0;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }
}
