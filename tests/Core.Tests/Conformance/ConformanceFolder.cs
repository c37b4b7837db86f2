namespace Steep.Core.Tests.Conformance;

/// <summary>
/// Finds the shared Steep 5 cases next to the repository (../shared/conformance/steep-5 from the directory holding
/// Steep.Orleans.sln). A user's fresh clone has no ../shared: then the conformance tests are skipped, saying why.
/// </summary>
internal static class ConformanceFolder
{
    private static readonly Lazy<(string? Path, string? SkipReason)> Located = new(Locate);

    /// <summary>The folder holding manifest.yaml; null when absent.</summary>
    public static string? Path => Located.Value.Path;

    /// <summary>Why the conformance tests cannot run; null when they can.</summary>
    public static string? SkipReason => Located.Value.SkipReason;

    private static (string?, string?) Locate()
    {
        var root = FindRepositoryRoot(AppContext.BaseDirectory);
        if (root is null)
            return (null, $"no directory containing Steep.Orleans.sln above {AppContext.BaseDirectory}, so ../shared/conformance cannot be located");
        var folder = System.IO.Path.GetFullPath(System.IO.Path.Combine(root, "..", "shared", "conformance", "steep-5"));
        if (!File.Exists(System.IO.Path.Combine(folder, "manifest.yaml")))
            return (null, $"the shared Steep 5 conformance cases are not present at {folder} (they live outside the repository)");
        return (folder, null);
    }

    /// <summary>The nearest directory at or above <paramref name="start"/> that contains Steep.Orleans.sln.</summary>
    public static string? FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "Steep.Orleans.sln"))) return dir.FullName;
        }
        return null;
    }
}
