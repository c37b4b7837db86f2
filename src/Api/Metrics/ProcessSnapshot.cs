using System.Diagnostics;

namespace Steep.Api.Metrics;

/// <summary>The process's own figures for one scrape.</summary>
internal sealed record ProcessSnapshot(
    double CpuSeconds, long ResidentBytes, long VirtualBytes, double StartTimeSeconds, int Threads, int? OpenFiles,
    long ManagedBytes, IReadOnlyList<long> Collections)
{
    public static readonly ProcessSnapshot Empty = new(0, 0, 0, 0, 0, null, 0, []);

    public static ProcessSnapshot Take()
    {
        using var p = Process.GetCurrentProcess();
        int? openFiles = null;
        if (OperatingSystem.IsLinux())
        {
            try
            {
                openFiles = Directory.EnumerateFileSystemEntries("/proc/self/fd").Count();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // not readable here: the metric is left out
            }
        }
        var collections = Enumerable.Range(0, GC.MaxGeneration + 1).Select(g => (long)GC.CollectionCount(g)).ToList();
        return new ProcessSnapshot(
            p.TotalProcessorTime.TotalSeconds, p.WorkingSet64, p.VirtualMemorySize64,
            new DateTimeOffset(p.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0, p.Threads.Count, openFiles,
            GC.GetTotalMemory(forceFullCollection: false), collections);
    }
}
