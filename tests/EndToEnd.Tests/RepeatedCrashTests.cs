using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit.Abstractions;
using Steep.Persistence.Sqlite;

namespace Steep.EndToEnd.Tests;

/// <summary>
/// Twenty crashes at random moments: each round starts `steep run` of a 24-chain for-each in a process group of its
/// own, kills the whole group with SIGKILL (steep and the services it started) after a random delay, then
/// `steep resume`s the data directory to the end. Every round must end SUCCESS with every result; a chain the store
/// had as SUCCESS at the kill never runs again, and only the chains running at the kill (or ended, with their outcome
/// not yet stored) run a second time.
/// </summary>
public sealed class RepeatedCrashTests(ITestOutputHelper output)
{
    private const int Items = 24;
    private const int Agents = 2;
    private const int Rounds = 20;

    [Fact]
    public async Task Twenty_kills_at_random_moments_lose_and_repeat_nothing()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"seed {seed}");
        var random = new Random(seed);
        var dir = SteepCli.TempDirectory("crash20");
        var services = await RecordingWorkload.WriteServicesAsync(dir, 0.1);
        var killedMidRun = 0;
        for (int round = 1; round <= Rounds; round++)
        {
            var roundDir = Path.Combine(dir, $"round{round:00}");
            Directory.CreateDirectory(roundDir);
            var data = Path.Combine(roundDir, "data");
            var record = Path.Combine(roundDir, "record.log");
            var wf = await RecordingWorkload.WriteWorkflowAsync(roundDir, Items, record);

            // the run takes about 1 s to start and 1.5 s to work: kill anywhere from the start to the last chains
            var delay = TimeSpan.FromMilliseconds(random.Next(100, 2600));
            using (var run = Process.Start(InOwnGroup("run", wf, "--services", services, "--data", data, "--agents", $"{Agents}"))!)
            {
                _ = run.StandardOutput.ReadToEndAsync();
                _ = run.StandardError.ReadToEndAsync();
                await Task.Delay(delay);
                var exitedBefore = run.HasExited;
                // a group whose leader has exited and been reaped may carry a new process's id by now: only a live one is killed
                if (!exitedBefore) KillGroup(run.Id);
                await run.WaitForExitAsync();
                if (!exitedBefore) killedMidRun++;
            }
            // the services lead process groups of their own: steep-watchdog kills them as soon as steep is gone (also one
            // spawned an instant before the kill), and only then is the record complete
            var left = await ProcessTable.WaitUntilNoneNamesAsync(roundDir, TimeSpan.FromSeconds(5));
            Assert.True(left.Count == 0, $"round {round}: processes outlived the killed steep by 5 s: {string.Join("; ", left)}");

            HashSet<string> succeededBefore = [];
            if (File.Exists(Path.Combine(data, "steep.db")))
            {
                await using var store = new SqliteStore(Path.Combine(data, "steep.db"));
                succeededBefore = (await store.ListByStatusAsync("SUCCESS", default)).Select(RecordingWorkload.Item).ToHashSet();
            }
            var startedBefore = RecordingWorkload.Starts(record).Keys.ToHashSet();
            var endedBefore = RecordingWorkload.Lines(record, "end ").ToHashSet();
            Assert.Subset(startedBefore, succeededBefore);

            var (code, _, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(2), "resume", "--data", data, "--agents", $"{Agents}");
            var context = $"round {round} (seed {seed}, killed after {delay.TotalMilliseconds} ms, {succeededBefore.Count} succeeded before)";
            Assert.True(code == 0, $"{context}: resume exited {code}: {stderr}");
            var submission = await StoredSubmissionAsync(data);
            if (submission is null)
            {
                // killed before the submission was stored: nothing was accepted, so run it from the start
                Assert.Empty(succeededBefore);
                (code, _, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(2), "run", wf, "--services", services, "--data", data, "--agents", $"{Agents}");
                Assert.True(code == 0, $"{context}: run exited {code}: {stderr}");
                submission = await StoredSubmissionAsync(data);
            }
            // what the store says in the end (steep may also have finished just before the kill)
            Assert.NotNull(submission);
            Assert.Equal("SUCCESS", submission.Status);
            Assert.Equal(Items, submission.SucceededProcessChains);
            Assert.Equal(Items, submission.Results!["all"].Count);

            var starts = RecordingWorkload.Starts(record);
            List<string> runningTwice = [], unrecordedTwice = [];
            for (int i = 1; i <= Items; i++)
            {
                var item = $"item{i:00}";
                Assert.True(starts.ContainsKey(item), $"{context}: {item} never ran");
                if (succeededBefore.Contains(item) || !startedBefore.Contains(item))
                    Assert.True(starts[item] == 1, $"{context}: {item} ran {starts[item]} times");
                else if (starts[item] > 1) (endedBefore.Contains(item) ? unrecordedTwice : runningTwice).Add(item);
            }
            // run again: the chains whose process was running at the kill (one per agent at most), and those whose
            // process had ended but whose SUCCESS was not stored yet (an agent starts its next chain while the outcome
            // of the last one is being written, and a store commit takes far less than the 0.1 s a chain runs:
            // at-least-once, one such chain per agent at most)
            Assert.True(runningTwice.Count <= Agents,
                $"{context}: {string.Join(", ", runningTwice)} were running at the kill and ran again, but only {Agents} can run at once");
            Assert.True(unrecordedTwice.Count <= Agents,
                $"{context}: {string.Join(", ", unrecordedTwice)} had ended unrecorded at the kill and ran again, but an outcome is stored well within the 0.1 s a chain runs: one per agent at most");
            output.WriteLine($"{context}: SUCCESS, ran again: {runningTwice.Count} running at the kill, {unrecordedTwice.Count} ended but not yet stored");
        }
        output.WriteLine($"{killedMidRun} of {Rounds} kills hit a running steep");
        Assert.True(killedMidRun >= Rounds / 2, $"only {killedMidRun} kills hit a running steep");
    }

    private static async Task<Steep.Core.Models.Submission?> StoredSubmissionAsync(string data)
    {
        if (!File.Exists(Path.Combine(data, "steep.db"))) return null;
        await using var store = new SqliteStore(Path.Combine(data, "steep.db"));
        Steep.Persistence.ISubmissionStore submissions = store;
        var page = await submissions.ListAsync(0, 1, null, default);
        return page.Items.Count == 0 ? null : await submissions.GetAsync(page.Items[0].Id, default);
    }

    private static ProcessStartInfo InOwnGroup(params string[] args)
    {
        // setsid puts steep (it execs the launcher, which execs the program: one pid) in a new process group, so
        // that one kill reaches steep and every service process it started
        var psi = SteepCli.StartInfo(args);
        psi.ArgumentList.Insert(0, psi.FileName);
        psi.FileName = "setsid";
        return psi;
    }

    // libc's kill, not the kill command: procps-ng 4.0.2's `kill -KILL -12345` signals the group named by the first
    // digit (-1: every process on the machine, the test runner and CI included)
    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    private static void KillGroup(int pid)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(pid, 1);
        if (Kill(-pid, 9) != 0 && Marshal.GetLastPInvokeError() != 3 /* ESRCH: already gone */)
            throw new InvalidOperationException($"kill of process group {pid} failed: errno {Marshal.GetLastPInvokeError()}");
    }
}
