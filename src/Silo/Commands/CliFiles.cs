using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Silo.Commands;

/// <summary>Reading the files users name on the command line, with errors that name the file.</summary>
internal static class CliFiles
{
    /// <summary>Reads a file's text or fails with a message naming it.</summary>
    public static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ModelFormatException($"{path}: cannot read the file: {e.Message}");
        }
    }

    /// <summary>Reads a workflow file (YAML or JSON).</summary>
    public static Workflow ReadWorkflow(string path) => ModelReader.ReadWorkflow(ReadText(path), path);

    /// <summary>The service metadata files given, or else conf/services/*.yaml|yml|json in the working directory.</summary>
    public static IReadOnlyList<Service> ReadServices(string[]? files)
    {
        var paths = files is { Length: > 0 } ? files.ToList()
            : Hosting.HostSettings.DefaultServiceFiles(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());
        foreach (var p in paths) if (!File.Exists(p)) throw new ModelFormatException($"{p}: service metadata file not found");
        var all = new List<Service>();
        foreach (var p in paths) all.AddRange(ModelReader.ReadServices(ReadText(p), p));
        return all;
    }

    /// <summary>
    /// The macros of the files given (each a list of macros or one macro), or else of conf/macros/*.yaml|yml|json under the
    /// steep home. A file named twice is read once; one id defined in two files is an error naming both.
    /// </summary>
    public static Dictionary<string, Macro> ReadMacros(string[]? files)
    {
        var paths = files is { Length: > 0 } ? files.ToList() : DefaultMacroFiles(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());
        var macros = new Dictionary<string, Macro>();
        var definedIn = new Dictionary<string, string>();
        foreach (var p in paths.DistinctBy(Path.GetFullPath))
        {
            if (!File.Exists(p)) throw new ModelFormatException($"{p}: macro file not found");
            foreach (var m in ModelReader.ReadMacros(ReadText(p), p))
            {
                if (definedIn.TryGetValue(m.Id, out var other))
                    throw new ModelFormatException($"{p}: macro '{m.Id}' is already defined in {other}; give one of them another id or pass only one of the files.");
                definedIn[m.Id] = p;
                macros[m.Id] = m;
            }
        }
        return macros;
    }

    /// <summary>conf/macros/*.yaml|yml|json under <paramref name="home"/>, in name order; none when the folder is absent.</summary>
    public static List<string> DefaultMacroFiles(string home)
    {
        var dir = Path.Combine(home, "conf", "macros");
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The --macros option that run, validate, plan, expand and serve share.</summary>
    public static System.CommandLine.Option<string[]> MacrosOption() => new("--macros")
    {
        Description = "Macro files (a list of macros or one macro each; repeatable; default: conf/macros/*)",
        AllowMultipleArgumentsPerToken = true,
    };

    /// <summary>Writes a file atomically: a crash leaves either the old or the new content.</summary>
    public static void WriteAtomically(string path, ReadOnlySpan<byte> content)
    {
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        var tmp = full + ".tmp-" + Environment.ProcessId;
        using (var f = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            f.Write(content);
            f.Flush(flushToDisk: true);
        }
        File.Move(tmp, full, overwrite: true);
    }
}
