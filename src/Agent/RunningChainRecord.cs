using System.Globalization;
using Steep.Agent.Native;

namespace Steep.Agent;

/// <summary>
/// One small file per running process chain, <c>&lt;running&gt;/&lt;chainId&gt;.pid</c>, holding the pid and start time
/// (<c>/proc/&lt;pid&gt;/stat</c> field 22) of the process it runs now: what <see cref="OrphanReaper"/> needs to find
/// and kill exactly that process (and its group) after a crash, and nothing else that got the same pid later.
/// </summary>
internal sealed class RunningChainRecord
{
    /// <summary>The file ending of a record.</summary>
    public const string Extension = ".pid";

    private readonly string _path;
    private bool _written;

    private RunningChainRecord(string path) => _path = path;

    /// <summary>
    /// The folder of the records: <see cref="AgentOptions.RunningDirectory"/>, else <c>running</c> next to the log
    /// folder (the data directory's layout: <c>&lt;data&gt;/logs</c> and <c>&lt;data&gt;/running</c>); null: no records.
    /// </summary>
    public static string? DirectoryOf(AgentOptions options) =>
        options.RunningDirectory ?? (options.LogDirectory is { } logs
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(logs).TrimEnd('/')) ?? "/", OrphanReaper.RunningFolder)
            : null);

    /// <summary>A record for <paramref name="chainId"/> in <paramref name="directory"/> (nothing is written yet).</summary>
    public static RunningChainRecord? For(string? directory, string chainId)
    {
        if (directory is null) return null;
        var log = ChainLog.FileName(chainId);
        return new RunningChainRecord(Path.Combine(directory, log[..^".log".Length] + Extension));
    }

    /// <summary>Records that <paramref name="pid"/> (started at <paramref name="startTime"/>) now runs for the chain; failures only cost the record.</summary>
    public void Started(int pid, ulong startTime)
    {
        try
        {
            if (!_written) Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            // padded to a fixed width: a later executable of the chain overwrites the record in place
            var text = $"{pid.ToString(CultureInfo.InvariantCulture)} {startTime.ToString(CultureInfo.InvariantCulture)}".PadRight(63) + "\n";
            using var file = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.Write);
            RandomAccess.Write(file, System.Text.Encoding.ASCII.GetBytes(text), 0);
            _written = true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // without the record a crash may leave this process running until it ends by itself (the watchdog still
            // ends it with steep); the chain itself must not fail for it
        }
    }

    /// <summary>Removes the record once the chain's processes have ended.</summary>
    public void Finished()
    {
        if (!_written) return;
        try
        {
            File.Delete(_path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // a stale record is harmless: the reaper checks the start time before it kills anything
        }
    }

    /// <summary>Parses a record's text: pid and start time, or null.</summary>
    public static (int Pid, ulong StartTime)? Parse(string text)
    {
        var parts = text.Split(' ', '\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length < 2) return null;
        if (!int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 1) return null;
        if (!ulong.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)) return null;
        return (pid, start);
    }
}
