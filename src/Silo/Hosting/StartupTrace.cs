using System.Diagnostics;

namespace Steep.Silo.Hosting;

/// <summary>With <c>STEEP_TRACE_STARTUP=1</c>, prints on stderr how long after the process start each start-up phase ended.</summary>
internal static class StartupTrace
{
    private static readonly bool Enabled = Environment.GetEnvironmentVariable("STEEP_TRACE_STARTUP") == "1";

    /// <summary>Prints <paramref name="phase"/> with the milliseconds since the process started.</summary>
    public static void Mark(string phase)
    {
        if (!Enabled) return;
        var since = DateTime.Now - Process.GetCurrentProcess().StartTime;
        Console.Error.WriteLine($"startup: {phase} after {since.TotalMilliseconds:F0} ms");
    }
}
