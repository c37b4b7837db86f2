using System.Globalization;

namespace Steep.Agent.Native;

/// <summary>
/// The <c>steep-guard</c> program (Native/guard/steep-guard.c, built next to the program): services started through
/// it die with the steep process that started it, their whole process group with them.
/// </summary>
internal static class ServiceGuard
{
    /// <summary>The guard's path, or null when it was not built (no C compiler) or is not executable.</summary>
    public static string? Path { get; } = Find();

    /// <summary>Prepends the guard to a program start: <c>steep-guard &lt;steep's pid&gt; program args...</c>.</summary>
    public static (string FileName, IReadOnlyList<string> Arguments) Wrap(string guard, string fileName, IReadOnlyList<string> arguments)
    {
        var args = new List<string>(arguments.Count + 2) { Environment.ProcessId.ToString(CultureInfo.InvariantCulture), fileName };
        args.AddRange(arguments);
        return (guard, args);
    }

    private static string? Find()
    {
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("STEEP_NO_GUARD") == "1") return null;
        var path = System.IO.Path.Combine(AppContext.BaseDirectory, "steep-guard");
        try
        {
            return File.Exists(path) && (File.GetUnixFileMode(path) & UnixFileMode.UserExecute) != 0 ? path : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
