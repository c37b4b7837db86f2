using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Steep.Agent;

/// <summary>
/// The record of the service processes that run now: one append-only file per executor,
/// <c>&lt;running&gt;/&lt;steep pid&gt;-&lt;n&gt;.journal</c>, with a line <c>+ pid start chainId</c> when a process starts and
/// <c>- pid start</c> when it has ended (start: <c>/proc/&lt;pid&gt;/stat</c> field 22, which tells the process apart from a
/// later one with the same pid). What <see cref="OrphanReaper"/> needs to find and kill exactly the processes a
/// crash left behind.
/// </summary>
/// <remarks>
/// An append costs one <c>write</c>; a file per chain cost a create and an unlink, and on ext4 thousands of unlinks
/// make every file creation of the next half minute several times slower — the chains' logs and the services' own
/// outputs included. No fsync: the record has to survive the steep process, not the machine (which takes the
/// services with it). The file is rewritten with only the live lines when it passes 1 MiB.
/// </remarks>
internal sealed class RunningProcessJournal
{
    /// <summary>The file ending of a journal.</summary>
    public const string Extension = ".journal";

    private const long DefaultRotateAt = 1 << 20;
    private static int _instances;

    private readonly string _directory;
    private readonly long _rotateAt;
    private readonly int _instance = Interlocked.Increment(ref _instances);
    private readonly Lock _gate = new();
    private readonly Dictionary<(int Pid, ulong Start), string> _live = new();
    private SafeFileHandle? _file;
    private string? _path;
    private long _length;
    private int _generation;

    private RunningProcessJournal(string directory, long rotateAt) => (_directory, _rotateAt) = (directory, rotateAt);

    /// <summary>
    /// The folder of the journals: <see cref="AgentOptions.RunningDirectory"/>, else <c>running</c> next to the log
    /// folder (the data directory's layout: <c>&lt;data&gt;/logs</c> and <c>&lt;data&gt;/running</c>); null: no records.
    /// </summary>
    public static string? DirectoryOf(AgentOptions options) =>
        options.RunningDirectory ?? (options.LogDirectory is { } logs
            ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(logs).TrimEnd('/')) ?? "/", OrphanReaper.RunningFolder)
            : null);

    /// <summary>A journal in <paramref name="directory"/> (the file is created with the first process); null for no directory.</summary>
    public static RunningProcessJournal? In(string? directory, long rotateAt = DefaultRotateAt) =>
        directory is null ? null : new RunningProcessJournal(directory, rotateAt);

    /// <summary>Records that <paramref name="pid"/> (started at <paramref name="startTime"/>) now runs for the chain; failures only cost the record.</summary>
    public void Started(string chainId, int pid, ulong startTime)
    {
        lock (_gate)
        {
            _live[(pid, startTime)] = chainId;
            Append(Line('+', pid, startTime, chainId));
        }
    }

    /// <summary>Records that the process has ended (it was awaited).</summary>
    public void Ended(int pid, ulong startTime)
    {
        lock (_gate)
        {
            if (_live.Remove((pid, startTime))) Append(Line('-', pid, startTime, null));
        }
    }

    /// <summary>
    /// Records the one process started for <paramref name="chainId"/> through <see cref="ProcessTracker.Started"/>
    /// (pass it as a launcher's start callback) until the tracker is disposed, once that process has ended.
    /// </summary>
    public ProcessTracker Track(string chainId) => new(this, chainId);

    /// <summary>One service process in the journal, from its start until it has ended (awaited, also when killed).</summary>
    public sealed class ProcessTracker(RunningProcessJournal journal, string chainId) : IDisposable
    {
        private (int Pid, ulong Start)? _started;

        /// <summary>The launcher started the process.</summary>
        public void Started(int pid, ulong startTime)
        {
            _started = (pid, startTime);
            journal.Started(chainId, pid, startTime);
        }

        /// <summary>The process has ended.</summary>
        public void Dispose()
        {
            if (_started is { } s) journal.Ended(s.Pid, s.Start);
            _started = null;
        }
    }

    /// <summary>The processes a journal's text names as running (started, not ended); malformed lines are skipped.</summary>
    public static IReadOnlyCollection<(int Pid, ulong StartTime)> ReadLive(string text)
    {
        var live = new HashSet<(int, ulong)>();
        foreach (var line in text.Split('\n'))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 3 || parts[0] is not ("+" or "-")) continue;
            if (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out int pid) || pid <= 1) continue;
            if (!ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out ulong start)) continue;
            if (parts[0] == "+") live.Add((pid, start));
            else live.Remove((pid, start));
        }
        return live;
    }

    private static string Line(char kind, int pid, ulong start, string? chainId) =>
        string.Create(CultureInfo.InvariantCulture, $"{kind} {pid} {start}{(chainId is null ? "" : " " + chainId)}\n");

    private void Append(string line)
    {
        try
        {
            if (_file is not null && _length < _rotateAt)
            {
                Write(line);
                return;
            }
            // a new file (the first, a rotation, or after a failure) starts with the live processes, this change included
            var old = _file;
            _file = null;
            Open();
            old?.Dispose();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // without the record a crash may leave this process running until it ends by itself (the watchdog still
            // ends it with steep); the chain itself must not fail for it. The next append tries a new file.
            _file?.Dispose();
            _file = null;
        }
    }

    private void Open()
    {
        Directory.CreateDirectory(_directory);
        var old = _path;
        _path = Path.Combine(_directory, $"{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}-{_instance}-{++_generation}{Extension}");
        _file = File.OpenHandle(_path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        _length = 0;
        foreach (var ((pid, start), chain) in _live) Write(Line('+', pid, start, chain));
        // the old file goes only once the new one holds every live process: a crash in between leaves both, which
        // the reaper reads together
        if (old is not null) File.Delete(old);
    }

    private void Write(string line)
    {
        var bytes = Encoding.ASCII.GetBytes(line);
        RandomAccess.Write(_file!, bytes, _length);
        _length += bytes.Length;
    }
}
