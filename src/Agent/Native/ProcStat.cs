using System.Globalization;

namespace Steep.Agent.Native;

/// <summary>What <c>/proc/&lt;pid&gt;/stat</c> says about a process: its process group and its start time.</summary>
/// <param name="ProcessGroup">Field 5, the process group id.</param>
/// <param name="StartTime">Field 22, clock ticks after boot: with the pid it names one process, as pids are reused.</param>
internal readonly record struct ProcStat(int ProcessGroup, ulong StartTime)
{
    /// <summary>The process's stat, or null when it does not exist (any more) or cannot be read.</summary>
    public static ProcStat? Read(int pid)
    {
        // read once per service start: one open and one read into a stack buffer, no stream or reader objects
        Span<byte> buffer = stackalloc byte[1024];
        int n;
        try
        {
            using var handle = File.OpenHandle($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat");
            n = RandomAccess.Read(handle, buffer, 0);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
        return Parse(System.Text.Encoding.UTF8.GetString(buffer[..n]));
    }

    /// <summary>Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields count from the last ')'.</summary>
    public static ProcStat? Parse(string text)
    {
        int end = text.LastIndexOf(')');
        if (end < 0) return null;
        var fields = text[(end + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // fields[0] is field 3 (the state)
        if (fields.Length < 20) return null;
        if (!int.TryParse(fields[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out int group)) return null;
        if (!ulong.TryParse(fields[19], NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong start)) return null;
        return new ProcStat(group, start);
    }

    /// <summary>The pids of all processes now visible in /proc.</summary>
    public static IEnumerable<int> AllPids()
    {
        IEnumerable<string> dirs;
        try
        {
            dirs = Directory.EnumerateDirectories("/proc").ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            yield break;
        }
        foreach (var d in dirs)
            if (int.TryParse(Path.GetFileName(d), NumberStyles.None, CultureInfo.InvariantCulture, out int pid)) yield return pid;
    }
}
