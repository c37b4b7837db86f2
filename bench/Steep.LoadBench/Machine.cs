using System.Runtime.InteropServices;

namespace Steep.LoadBench;

/// <summary>A one-line description of the machine: CPU, cores, memory, OS and .NET.</summary>
internal static class Machine
{
    /// <summary>The 1, 5 and 15 minute load averages (other work on the machine skews the figures).</summary>
    public static string LoadAverage()
    {
        try
        {
            if (File.Exists("/proc/loadavg")) return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            // unknown
        }
        return "unknown";
    }

    public static string Describe()
    {
        string cpu = "unknown CPU";
        string memory = "";
        try
        {
            if (File.Exists("/proc/cpuinfo"))
                cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
            if (File.Exists("/proc/meminfo")
                && File.ReadLines("/proc/meminfo").FirstOrDefault(l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) is { } line
                && long.TryParse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], out long kb))
                memory = $", {kb / 1024.0 / 1024.0:F0} GiB RAM";
        }
        catch (IOException)
        {
            // keep what is known
        }
        return $"{cpu}, {Environment.ProcessorCount} logical cores{memory}, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";
    }
}
