using System.Globalization;

namespace Steep.Agent.Native;

/// <summary>What <c>/proc/&lt;pid&gt;/stat</c> says about a process: its process group and its start time.</summary>
/// <param name="ProcessGroup">Field 5, the process group id.</param>
/// <param name="StartTime">Field 22, clock ticks after boot: with the pid it names one process, as pids are reused.</param>
internal readonly record struct ProcStat(int ProcessGroup, ulong StartTime)
{
    /// <summary>The process's stat, or null when it does not exist (any more) or cannot be read.</summary>
    public static unsafe ProcStat? Read(int pid)
    {
        // read once per service start: open, read into a stack buffer, close (not .NET's file handles, whose open adds
        // a stat and a lock emulation), no stream or reader objects
        Span<byte> buffer = stackalloc byte[1024];
        int fd = LibC.open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat", LibC.O_RDONLY | LibC.O_CLOEXEC, 0);
        if (fd < 0) return null;
        int n;
        try
        {
            fixed (byte* p = buffer) n = (int)LibC.read(fd, p, (nuint)buffer.Length);
        }
        finally
        {
            LibC.close(fd);
        }
        if (n < 0) return null;
        // decoded on the stack too: this runs once per service start, and the line is thrown away at once
        Span<char> text = stackalloc char[buffer.Length];
        return Parse(text[..System.Text.Encoding.UTF8.GetChars(buffer[..n], text)]);
    }

    /// <summary>Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields count from the last ')'.</summary>
    public static ProcStat? Parse(string text) => Parse(text.AsSpan());

    /// <inheritdoc cref="Parse(string)"/>
    public static ProcStat? Parse(ReadOnlySpan<char> text)
    {
        int end = text.LastIndexOf(')');
        if (end < 0) return null;
        var rest = text[(end + 1)..];
        int field = 2; // the fields after the name start with field 3 (the state)
        int? group = null;
        foreach (var range in rest.Split(' '))
        {
            var value = rest[range];
            if (value.IsEmpty) continue;
            field++;
            if (field == 5)
            {
                if (!int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int g)) return null;
                group = g;
            }
            else if (field == 22)
            {
                if (group is not { } pgid || !ulong.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out ulong start)) return null;
                return new ProcStat(pgid, start);
            }
        }
        return null;
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
