using System.Diagnostics;

namespace Steep.EndToEnd.Tests;

/// <summary>What the machine's process table (/proc) says about the processes a test started, directly or not.</summary>
internal static class ProcessTable
{
    /// <summary>Waits until no process names <paramref name="directory"/> in its command line; returns those still there.</summary>
    public static async Task<List<string>> WaitUntilNoneNamesAsync(string directory, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = new List<string>();
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
                string commandLine;
                try
                {
                    commandLine = (await File.ReadAllTextAsync(Path.Combine(dir, "cmdline"))).Replace('\0', ' ');
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    continue; // gone meanwhile
                }
                if (commandLine.Contains(directory, StringComparison.Ordinal)) left.Add($"{pid}: {commandLine.Trim()}");
            }
            if (left.Count == 0 || clock.Elapsed > timeout) return left;
            await Task.Delay(20);
        }
    }
}
