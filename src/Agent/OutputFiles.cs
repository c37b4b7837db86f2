using Steep.Core.Models;

namespace Steep.Agent;

/// <summary>Prepares the places outputs are written to, and collects the result files afterwards.</summary>
internal static class OutputFiles
{
    private static readonly EnumerationOptions AllFilesRecursively = new()
    {
        RecurseSubdirectories = true, AttributesToSkip = 0, IgnoreInaccessible = false, ReturnSpecialDirectories = false,
    };

    /// <summary>Creates each directory output and the parent directory of each other output.</summary>
    public static void Prepare(Executable executable, string workingDirectory)
    {
        foreach (var a in executable.Arguments)
        {
            if (a.Type != ArgumentTypes.Output || a.Variable.Value.Length == 0) continue;
            var full = Path.GetFullPath(a.Variable.Value, workingDirectory);
            var dir = a.DataType == DataTypes.Directory ? full : Path.GetDirectoryName(full);
            if (dir is not null) Directory.CreateDirectory(dir);
        }
    }

    /// <summary>
    /// Adds the results of the executable's outputs to <paramref name="results"/> under their variable ids: a
    /// directory gives every file below it (sorted ordinally), fileOrEmptyList the file if it exists, anything else
    /// its value.
    /// </summary>
    public static void Collect(Executable executable, string workingDirectory, Dictionary<string, List<string>> results)
    {
        foreach (var a in executable.Arguments)
        {
            if (a.Type != ArgumentTypes.Output) continue;
            var value = a.Variable.Value;
            if (!results.TryGetValue(a.Variable.Id, out var list)) results[a.Variable.Id] = list = [];
            switch (a.DataType)
            {
                case DataTypes.Directory:
                    list.AddRange(FilesBelow(value, workingDirectory));
                    break;
                case DataTypes.FileOrEmptyList:
                    if (File.Exists(Path.GetFullPath(value, workingDirectory))) list.Add(value);
                    break;
                default:
                    list.Add(value);
                    break;
            }
        }
    }

    /// <summary>The files below a directory, named like the directory was (relative stays relative).</summary>
    private static List<string> FilesBelow(string directory, string workingDirectory)
    {
        var full = Path.GetFullPath(directory, workingDirectory);
        if (!Directory.Exists(full)) return [];
        var prefix = directory.EndsWith('/') ? directory : directory + "/";
        var files = new List<string>();
        foreach (var f in Directory.EnumerateFiles(full, "*", AllFilesRecursively))
        {
            files.Add(prefix + Path.GetRelativePath(full, f).Replace(Path.DirectorySeparatorChar, '/'));
        }
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
