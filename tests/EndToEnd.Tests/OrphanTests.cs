using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Xunit.Abstractions;

namespace Steep.EndToEnd.Tests;

/// <summary>
/// No orphans, no twins: `steep run` is killed with SIGKILL (its pid alone, or its whole process group) while two
/// chains run services that also left a child in the background. The services must be gone within 2 s (steep-watchdog),
/// and `steep resume` must never run a chain while a copy of it is still running (the leftovers of a run without the
/// watchdog are killed before anything runs again).
/// </summary>
public sealed class OrphanTests(ITestOutputHelper output)
{
    private const int Items = 4;

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);

    [Theory]
    [InlineData("pid", true)]
    [InlineData("group", true)]
    [InlineData("pid", false)]
    public async Task Killed_steep_leaves_no_service_running_and_resume_never_runs_a_chain_twice(string target, bool watchdog)
    {
        var dir = SteepCli.TempDirectory("orphans");
        var data = Path.Combine(dir, "data");
        var record = Path.Combine(dir, "record.log");
        var pids = Path.Combine(dir, "pids");
        // a lock per item held by the service and the child it leaves: a second copy of the chain finds it taken
        SteepCli.WriteScript(dir, "slow.sh", $"""
            exec 9>'{dir}/lock.'"$1"
            flock -n 9 || echo "twin $1" >> '{record}'
            echo "start $1" >> '{record}'
            sleep 1000 &
            echo $! >> '{pids}'
            echo $$ >> '{pids}'
            if [ -e '{dir}/first-run' ]; then sleep 30; else sleep 1; fi
            kill $!
            echo "copy of $1" > "$2"
            echo "end $1" >> '{record}'
            """);
        var services = Path.Combine(dir, "services.yaml");
        await File.WriteAllTextAsync(services, """
            - id: slow
              name: Slow
              description: Takes its time and leaves a child in the background
              path: ./slow.sh
              runtime: other
              parameters:
                - {id: item, name: Item, description: The item, type: input, cardinality: 1..1}
                - {id: out, name: Output, description: Output file, type: output, cardinality: 1..1}
            """);
        var wf = Path.Combine(dir, "workflow.yaml");
        await File.WriteAllTextAsync(wf, $"""
            api: 4.0.0
            vars:
              - id: items
                value: [{string.Join(", ", Enumerable.Range(1, Items).Select(i => $"item{i}"))}]
              - id: i
              - id: o
              - id: all
            actions:
              - type: for
                input: items
                enumerator: i
                output: all
                yieldToOutput: o
                actions:
                  - type: execute
                    service: slow
                    inputs:
                      - id: item
                        var: i
                    outputs:
                      - id: out
                        var: o
            """);

        // the services of the killed run take long: only a kill can end them before the resumed run starts its copies
        File.WriteAllText(Path.Combine(dir, "first-run"), "");
        // setsid: steep leads a process group of its own, which the test may kill as a whole
        var psi = new ProcessStartInfo("setsid") { WorkingDirectory = SteepCli.RepositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { Path.Combine(SteepCli.RepositoryRoot, "steep"), "run", wf, "--services", services, "--data", data, "--agents", "2" })
            psi.ArgumentList.Add(a);
        if (!watchdog) psi.Environment["STEEP_NO_WATCHDOG"] = "1";
        using (var run = Process.Start(psi)!)
        {
            _ = run.StandardOutput.ReadToEndAsync();
            _ = run.StandardError.ReadToEndAsync();
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(3);
            // both services run, and steep has registered them (their records are written right after that)
            var running = Path.Combine(data, "running");
            while (RecordingWorkload.Lines(record, "start ").Count < 2 || RecordingWorkload.Lines(pids, "").Count < 4
                   || LiveRecords(running) < 2)
            {
                Assert.False(run.HasExited, "steep run finished before it could be killed");
                Assert.True(DateTime.UtcNow < deadline, "the chains did not start within 3 minutes");
                await Task.Delay(20);
            }
            Assert.Equal(0, kill(target == "group" ? -run.Id : run.Id, 9));
            await run.WaitForExitAsync();
        }
        File.Delete(Path.Combine(dir, "first-run"));

        var services1 = RecordingWorkload.Lines(pids, "").Select(int.Parse).ToList();
        var gone = Stopwatch.StartNew();
        while (services1.Any(IsRunning) && gone.Elapsed < TimeSpan.FromSeconds(2)) await Task.Delay(20);
        output.WriteLine($"kill -9 of steep's {target}: {(services1.Any(IsRunning) ? "services still running" : "every service gone")} {gone.ElapsedMilliseconds} ms after it");
        if (watchdog) Assert.True(!services1.Any(IsRunning), $"still running 2 s after the kill: {string.Join(", ", services1.Where(IsRunning))}");
        else Assert.True(services1.Any(IsRunning), "without the watchdog the services should have outlived steep");

        var (code, stdout, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(3), "resume", "--services", services, "--data", data, "--agents", "2");
        Assert.True(code == 0, $"resume exited {code}: {stderr}");
        if (!watchdog) Assert.Contains("killed", stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("SUCCESS", doc.RootElement.GetProperty("status").GetString());
        Assert.Empty(RecordingWorkload.Lines(record, "twin "));
        Assert.DoesNotContain(services1, IsRunning);
        foreach (var item in Enumerable.Range(1, Items).Select(i => $"item{i}"))
            Assert.Equal(1, RecordingWorkload.Lines(record, "end ").Count(l => l == item));
        Assert.Empty(Directory.Exists(Path.Combine(data, "running")) ? Directory.GetFiles(Path.Combine(data, "running")) : []);
    }

    /// <summary>The service processes the journals in <paramref name="running"/> name as running ("+ pid start chain" without "- pid start").</summary>
    private static int LiveRecords(string running)
    {
        if (!Directory.Exists(running)) return 0;
        var live = new HashSet<string>();
        foreach (var file in Directory.GetFiles(running, "*.journal"))
        {
            string[] lines;
            try { lines = File.ReadAllLines(file); }
            catch (IOException) { continue; }
            foreach (var parts in lines.Select(l => l.Split(' ')).Where(p => p.Length >= 3))
            {
                if (parts[0] == "+") live.Add(parts[1] + " " + parts[2]);
                else if (parts[0] == "-") live.Remove(parts[1] + " " + parts[2]);
            }
        }
        return live.Count;
    }

    /// <summary>True while the process exists and is not a zombie (in a container without init nobody may reap it).</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z') == false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
