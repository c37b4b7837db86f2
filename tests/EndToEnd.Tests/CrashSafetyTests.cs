using System.Diagnostics;
using System.Text.Json;
using Steep.Persistence.Sqlite;

namespace Steep.EndToEnd.Tests;

/// <summary>
/// Kills `steep run` with SIGKILL while chains are running, then `steep resume`s the data directory: the submission
/// must end SUCCESS with all results, no chain that had succeeded runs again, and only chains running at the kill
/// may run twice. Chains of 0.4 s are RUNNING in the store at the kill; chains of 0.03 s end before their RUNNING is
/// written (their start is written with their end), so the ones running at the kill are still REGISTERED there.
/// </summary>
public sealed class CrashSafetyTests
{
    // the short chains come in a larger number, so that the kill (after six ends, seen by polling) still finds most of
    // them ahead on a loaded machine: 24 chains of 0.03 s on two agents were all done before it once
    [Theory]
    [InlineData(0.4, 24)]
    [InlineData(0.03, 96)]
    public async Task Killed_run_resumes_without_losing_or_repeating_work(double seconds, int items)
    {
        var dir = SteepCli.TempDirectory("crash");
        var data = Path.Combine(dir, "data");
        var record = Path.Combine(dir, "record.log");
        var services = await RecordingWorkload.WriteServicesAsync(dir, seconds);
        var names = RecordingWorkload.Items(items);
        var wf = await RecordingWorkload.WriteWorkflowAsync(dir, items, record);

        using (var run = Process.Start(SteepCli.StartInfo("run", wf, "--services", services, "--data", data, "--agents", "2"))!)
        {
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            while (RecordingWorkload.Ends(record) < 6)
            {
                Assert.False(run.HasExited, "steep run finished before it could be killed");
                Assert.True(DateTime.UtcNow < deadline, "no chain finished within 3 minutes");
                await Task.Delay(20);
            }
            run.Kill(entireProcessTree: false); // SIGKILL, the services it started keep running as orphans
            await run.WaitForExitAsync();
        }

        // what the store says at the moment of the crash
        HashSet<string> succeededBefore;
        await using (var store = new SqliteStore(Path.Combine(data, "steep.db")))
        {
            var chains = await store.ListByStatusAsync("SUCCESS", default);
            succeededBefore = chains.Select(RecordingWorkload.Item).ToHashSet();
        }
        Assert.NotEmpty(succeededBefore);
        Assert.True(succeededBefore.Count < items, "everything had finished before the kill");
        // what really ran before the resume: nothing starts a chain between the kill and the resume, so every "start"
        // in the record now was a process running at the kill or finished before it (the store may not have heard
        // of a start yet: the RUNNING state is written while the process starts)
        // a service started just before the kill writes its "start" line first thing: the record is complete once
        // every service of the killed run is gone (steep-watchdog kills them)
        var left = await ProcessTable.WaitUntilNoneNamesAsync(dir, TimeSpan.FromSeconds(5));
        Assert.True(left.Count == 0, $"processes outlived the killed steep by 5 s: {string.Join("; ", left)}");
        var startedBefore = RecordingWorkload.Starts(record).Keys.ToHashSet();
        Assert.Subset(startedBefore, succeededBefore);

        var (code, stdout, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(3), "resume", "--services", services, "--data", data, "--agents", "2");
        Assert.True(code == 0, $"resume exited {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("SUCCESS", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(items, doc.RootElement.GetProperty("succeededProcessChains").GetInt32());
        Assert.Equal(items, doc.RootElement.GetProperty("results").GetProperty("all").GetArrayLength());

        await Task.Delay(600); // orphans of the killed run finish writing
        var starts = RecordingWorkload.Starts(record);
        foreach (var item in names)
        {
            Assert.True(starts.ContainsKey(item), $"{item} never ran");
            if (succeededBefore.Contains(item)) Assert.True(starts[item] == 1, $"{item} had succeeded but ran {starts[item]} times");
            else if (startedBefore.Contains(item)) Assert.True(starts[item] <= 2, $"{item} ran {starts[item]} times");
            else Assert.True(starts[item] == 1, $"{item} was not running at the kill but ran {starts[item]} times");
        }
    }
}
