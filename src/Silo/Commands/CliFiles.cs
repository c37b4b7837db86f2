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
