using Steep.Agent.Native;

namespace Steep.Agent;

/// <summary>
/// Kills what a crashed steep left running in a data directory, before its chains run again: without it, a chain
/// that was RUNNING at a kill -9 runs a second time while its first process (an orphan) may still be at work, and
/// both write the same output files.
/// </summary>
/// <remarks>
/// Every running service process is recorded (<see cref="RunningProcessJournal"/>: its pid and start time; it leads a
/// process group of its own). A record whose pid still names the same process (same start time) gets
/// its whole group killed; a group whose leader is gone gets its members killed (the kernel does not give a pid to a
/// new process while a group still carries it as id, so they are the leader's). steep-watchdog normally kills the
/// services with steep already; this is the second line, e.g. when no C compiler built the watchdog.
/// Call it only while holding the data directory (steep.lock): the processes of a live steep have records too.
/// </remarks>
public static class OrphanReaper
{
    /// <summary>The folder of the records below the data directory.</summary>
    public const string RunningFolder = "running";

    /// <summary>How long the killed processes are given to be gone.</summary>
    private static readonly TimeSpan GoneWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Kills every process left over from the chains recorded in <c>&lt;dataDirectory&gt;/running</c>, waits until they are
    /// gone and removes the records; returns how many processes were killed.
    /// </summary>
    public static async Task<int> KillLeftoversAsync(string dataDirectory, CancellationToken ct = default)
    {
        var folder = Path.Combine(Path.GetFullPath(dataDirectory), RunningFolder);
        if (!OperatingSystem.IsLinux() || !Directory.Exists(folder)) return 0;
        // the journals, and the one-file-per-chain records (<chain>.pid: "pid start") that earlier versions left
        var records = Directory.GetFiles(folder, "*" + RunningProcessJournal.Extension).Concat(Directory.GetFiles(folder, "*.pid")).ToList();
        if (records.Count == 0) return 0;

        var leaders = new Dictionary<int, ulong>();
        foreach (var file in records)
        {
            string text;
            try
            {
                text = await File.ReadAllTextAsync(file, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }
            var live = file.EndsWith(RunningProcessJournal.Extension, StringComparison.Ordinal)
                ? RunningProcessJournal.ReadLive(text)
                : RunningProcessJournal.ReadLive("+ " + text.Trim());
            foreach (var (pid, start) in live)
                if (pid != Environment.ProcessId) leaders[pid] = start;
        }

        // one pass over /proc: the leaders that are still the recorded processes, and every member of their groups
        var victims = new List<(int Pid, ulong Start)>();
        var stats = new Dictionary<int, ProcStat>();
        foreach (var pid in ProcStat.AllPids())
            if (ProcStat.Read(pid) is { } s) stats[pid] = s;
        foreach (var (pid, stat) in stats)
        {
            if (pid == Environment.ProcessId) continue;
            bool recordedLeader = leaders.TryGetValue(pid, out var start) && stat.StartTime == start;
            bool member = leaders.TryGetValue(stat.ProcessGroup, out var leaderStart)
                && (!stats.TryGetValue(stat.ProcessGroup, out var leader) || leader.StartTime == leaderStart);
            if (recordedLeader || member) victims.Add((pid, stat.StartTime));
        }
        foreach (var (pid, _) in victims) LibC.kill(pid, LibC.SIGKILL);

        // orphans are reaped by init (or a subreaper): wait until none of them is there any more
        var deadline = DateTime.UtcNow + GoneWait;
        while (victims.Any(v => ProcStat.Read(v.Pid) is { } s && s.StartTime == v.Start && !IsZombie(v.Pid)) && DateTime.UtcNow < deadline)
            await Task.Delay(20, ct).ConfigureAwait(false);

        foreach (var file in records)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // removed by someone else, or the next start tries again
            }
        }
        return victims.Count;
    }

    private static bool IsZombie(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            int end = text.LastIndexOf(')');
            return end >= 0 && end + 2 < text.Length && text[end + 2] == 'Z';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true; // gone
        }
    }
}
