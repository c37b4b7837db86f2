using System.Diagnostics;
using Steep.Agent.Native;
using Steep.Core.Models;
using static Steep.Agent.Tests.Chains;

namespace Steep.Agent.Tests;

/// <summary>The records of running chains, the reaper that kills what a crash left of them, and steep-watchdog.</summary>
public sealed class OrphanReaperTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void TheWatchdogWasBuiltNextToTheProgram() => Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, "steep-watchdog")));

    [Fact]
    public async Task ARunningChainIsRecordedWithPidAndStartTimeAndTheRecordGoesWhenItEnds()
    {
        var data = _dir["data"];
        var script = _dir.Script("wait.sh", "while [ ! -e go ]; do sleep 0.02; done");
        var executor = new LocalProcessChainExecutor(new AgentOptions { WorkingDirectory = _dir.Path, LogDirectory = Path.Combine(data, "logs") });
        var run = executor.ExecuteAsync(Of(Exe(script)), CancellationToken.None);

        var running = Path.Combine(data, OrphanReaper.RunningFolder);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (Live(running).Count != 1 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var (pid, start) = Assert.Single(Live(running));
        Assert.Contains(" chain", File.ReadAllText(Assert.Single(Directory.GetFiles(running)))); // names the chain too
        var stat = ProcStat.Read(pid);
        Assert.NotNull(stat);
        Assert.Equal(start, stat.Value.StartTime);
        Assert.Equal(pid, stat.Value.ProcessGroup); // the leader of a group of its own

        File.WriteAllText(_dir["go"], "");
        Assert.Equal(ProcessChainStatus.Success, (await run).Status);
        Assert.Empty(Live(running));
        OrphanReaper.RemoveSettledJournals(data); // what a clean stop does
        Assert.Empty(Directory.GetFiles(running));
    }

    [Fact]
    public void TheJournalIsRewrittenWithOnlyTheLiveProcessesSoItNeverGrowsWithoutBound()
    {
        var folder = _dir["journal"];
        var journal = RunningProcessJournal.In(folder, rotateAt: 300)!;
        journal.Started("keeps-running", 100, 7);
        for (int i = 0; i < 1000; i++)
        {
            journal.Started("c" + i, 1000 + i, 5);
            journal.Ended(1000 + i, 5);
        }
        journal.Ended(99, 1); // never started: nothing to record
        var file = Assert.Single(Directory.GetFiles(folder));
        Assert.True(new FileInfo(file).Length < 400, $"{new FileInfo(file).Length} bytes");
        Assert.Equal([(100, 7UL)], Live(folder));
        journal.Ended(100, 7);
        Assert.Empty(Live(folder));
    }

    private static IReadOnlyCollection<(int Pid, ulong StartTime)> Live(string running) =>
        Directory.Exists(running)
            ? Directory.GetFiles(running).SelectMany(f => RunningProcessJournal.ReadLive(File.ReadAllText(f))).ToList()
            : [];

    [Fact]
    public async Task LeftoversAreKilledWithTheirGroupButAProcessWithAReusedPidIsNot()
    {
        var data = _dir["data"];
        var running = Directory.CreateDirectory(Path.Combine(data, OrphanReaper.RunningFolder)).FullName;
        // a leftover: a group leader with a child in its group, as a service without steep-guard leaves them
        using var leftover = Start("setsid", "sh", "-c", "sleep 1000 & echo $! > child.pid; wait");
        var childPid = await ReadPidAsync(_dir["child.pid"]);
        var leaderStat = ProcStat.Read(leftover.Id)!.Value;
        // a record whose pid now names another process (other start time), and one whose process has ended according
        // to the journal (its pid still runs, e.g. reused with the same tick): those must live
        using var bystander = Start("sleep", "1000");
        using var ended = Start("sleep", "1000");
        var endedStart = ProcStat.Read(ended.Id)!.Value.StartTime;
        File.WriteAllText(Path.Combine(running, "4242-1-1.journal"),
            $"+ {leftover.Id} {leaderStat.StartTime} c1\n" +
            $"+ {bystander.Id} {ProcStat.Read(bystander.Id)!.Value.StartTime + 1} c2\n" +
            "garbage\n+ x y c3\n" +
            $"+ {ended.Id} {endedStart} c4\n- {ended.Id} {endedStart}\n");
        // a record in the one-file-per-chain format of earlier versions
        using var legacy = Start("setsid", "sleep", "1000");
        File.WriteAllText(Path.Combine(running, "c5.pid"), $"{legacy.Id} {ProcStat.Read(legacy.Id)!.Value.StartTime}".PadRight(63) + "\n");

        var killed = await OrphanReaper.KillLeftoversAsync(data);

        Assert.Equal(3, killed);
        Assert.True(legacy.WaitForExit(5000));
        Assert.False(ended.HasExited);
        ended.Kill();
        Assert.True(leftover.WaitForExit(5000));
        Assert.True(ProcStat.Read(childPid) is null || IsZombie(childPid), "the leader's child survived");
        Assert.False(bystander.HasExited);
        Assert.Empty(Directory.GetFiles(running));
        bystander.Kill();
        Assert.Equal(0, await OrphanReaper.KillLeftoversAsync(data));
    }

    [Fact]
    public async Task TheWatchdogKillsTheRegisteredGroupsWhenItsInputEnds()
    {
        // the test plays steep: it registers two services with a watchdog of its own and then "dies" (closes the pipe)
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "steep-watchdog")) { RedirectStandardInput = true, UseShellExecute = false };
        using var watchdog = Process.Start(psi)!;
        using var service = Start("setsid", "sh", "-c", "sleep 1000 & echo $! > child.pid; wait");
        var child = await ReadPidAsync(_dir["child.pid"]);
        using var ended = Start("setsid", "sleep", "1000");
        using var bystander = Start("setsid", "sleep", "1000");
        await watchdog.StandardInput.WriteAsync($"+{service.Id} {ProcStat.Read(service.Id)!.Value.StartTime}\n");
        await watchdog.StandardInput.WriteAsync($"+{ended.Id} {ProcStat.Read(ended.Id)!.Value.StartTime}\n-{ended.Id}\n");
        await watchdog.StandardInput.WriteAsync($"+{bystander.Id} {ProcStat.Read(bystander.Id)!.Value.StartTime + 1}\n"); // a reused pid
        await watchdog.StandardInput.FlushAsync();
        await Task.Delay(200);
        Assert.True(Alive(service.Id) && Alive(child));

        var watch = Stopwatch.StartNew();
        watchdog.StandardInput.Close();
        while ((Alive(child) || Alive(service.Id)) && watch.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(10);
        Assert.False(Alive(child) || Alive(service.Id), "the service outlived the watchdog's input by 2 s");
        Assert.True(watchdog.WaitForExit(2000));
        Assert.True(Alive(ended.Id) && Alive(bystander.Id), "an unregistered or reused pid was killed");
        ended.Kill();
        bystander.Kill();
    }

    [Fact]
    public async Task TheWatchdogAlsoKillsAnUnregisteredProcessCarryingItsMark()
    {
        // steep killed between a service's spawn and its registration: the service carries steep's mark in its
        // environment, and the watchdog kills it (and what it started) at end-of-file although no "+" line named it
        var psi = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "steep-watchdog"), ["t0k3n"]) { RedirectStandardInput = true, UseShellExecute = false };
        using var watchdog = Process.Start(psi)!;
        using var marked = StartWith("t0k3n", "setsid", "sh", "-c", "sleep 1000 & echo $! > marked-child.pid; wait");
        var child = await ReadPidAsync(_dir["marked-child.pid"]);
        using var other = StartWith("other", "setsid", "sleep", "1000");
        using var prefix = StartWith("t0k3n2", "setsid", "sleep", "1000");
        await Task.Delay(200);
        Assert.True(Alive(marked.Id) && Alive(child));

        var watch = Stopwatch.StartNew();
        watchdog.StandardInput.Close();
        while ((Alive(child) || Alive(marked.Id)) && watch.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(10);
        Assert.False(Alive(child) || Alive(marked.Id), "a marked process outlived the watchdog's input by 2 s");
        Assert.True(watchdog.WaitForExit(2000));
        Assert.True(Alive(other.Id) && Alive(prefix.Id), "a process with another steep's mark was killed");
        other.Kill();
        prefix.Kill();
    }

    private Process StartWith(string mark, string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { WorkingDirectory = _dir.Path, UseShellExecute = false };
        psi.Environment["STEEP_SERVICE_OF"] = mark;
        return Process.Start(psi)!;
    }

    [Fact]
    public async Task AServiceOutlivesTheThreadThatStartedIt()
    {
        // a parent-death signal would fire when the *thread* that spawned the service ends (.NET retires idle pool
        // threads): the watchdog must not be fooled that way
        var script = _dir.Script("wait.sh", "while [ ! -e go ]; do sleep 0.02; done; echo done > done.txt");
        var executor = new LocalProcessChainExecutor(new AgentOptions { WorkingDirectory = _dir.Path, LogDirectory = _dir["logs"] });
        Task<ProcessChainOutcome>? run = null;
        var thread = new Thread(() => run = executor.ExecuteAsync(Of(Exe(script)), CancellationToken.None));
        thread.Start();
        thread.Join(); // the spawn happens before the first await, on this thread, which has ended now
        await Task.Delay(500);
        Assert.False(run!.IsCompleted, "the service ended with the thread that started it");
        File.WriteAllText(_dir["go"], "");
        Assert.Equal(ProcessChainStatus.Success, (await run.WaitAsync(TimeSpan.FromSeconds(30))).Status);
        Assert.Equal("done\n", File.ReadAllText(_dir["done.txt"]));
    }

    [Fact]
    public async Task ExitCodesOutputAndArgumentsAreThoseOfTheService()
    {
        var executor = new LocalProcessChainExecutor(new AgentOptions { WorkingDirectory = _dir.Path, LogDirectory = _dir["logs"] });
        var exit3 = await executor.ExecuteAsync(Of(Exe(_dir.Script("three.sh", "echo out; echo err >&2; exit 3"))), CancellationToken.None);
        Assert.Contains("exit code 3", exit3.ErrorMessage);
        Assert.Contains("err", exit3.ErrorMessage);
        var signalled = await executor.ExecuteAsync(Of(Exe(_dir.Script("kill.sh", "kill -9 $$"))), CancellationToken.None);
        Assert.Contains("exit code 137", signalled.ErrorMessage);
        var ok = await executor.ExecuteAsync(Of(Exe(_dir.Script("args.sh", """echo "$#:$1:$2" > args.txt"""), Param("a b"), Param(""))), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Success, ok.Status);
        Assert.Equal("2:a b:\n", File.ReadAllText(_dir["args.txt"]));
    }

    private Process Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = _dir.Path, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi)!;
    }

    private static async Task<int> ReadPidAsync(string file)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            if (File.Exists(file) && int.TryParse(File.ReadAllText(file).Trim(), out int pid)) return pid;
            await Task.Delay(10);
        }
        throw new TimeoutException(file);
    }

    private static bool Alive(int pid) => ProcStat.Read(pid) is not null && !IsZombie(pid);

    private static bool IsZombie(int pid)
    {
        try
        {
            var s = File.ReadAllText($"/proc/{pid}/stat");
            return s[(s.LastIndexOf(')') + 2)..].StartsWith('Z');
        }
        catch (IOException)
        {
            return true;
        }
    }
}
