using System.Diagnostics;

namespace Steep.EndToEnd.Tests;

/// <summary>One steep process per data directory, told apart by `steep status`.</summary>
public sealed class DataDirectoryTests
{
    [Fact]
    public async Task A_second_steep_on_a_busy_data_directory_is_refused_and_status_names_the_one_at_work()
    {
        var dir = SteepCli.TempDirectory("busy");
        var data = Path.Combine(dir, "data");
        var services = Path.Combine(dir, "services.yaml");
        await File.WriteAllTextAsync(services, """
            - id: sleep
              name: Sleep
              description: Sleeps
              path: sleep
              runtime: other
              parameters:
                - {id: seconds, name: Seconds, description: Seconds, type: argument, cardinality: 1..1, data_type: integer}
            """);
        var wf = Path.Combine(dir, "workflow.yaml");
        await File.WriteAllTextAsync(wf, """
            api: 4.0.0
            actions:
              - type: execute
                service: sleep
                parameters: [{id: seconds, value: 60}]
            """);

        using var first = Process.Start(SteepCli.StartInfo("run", wf, "--services", services, "--data", data))!;
        _ = first.StandardOutput.ReadToEndAsync();
        // the submission is stored once steep says it was accepted (the silo starts before that)
        var firstErr = new System.Text.StringBuilder();
        var accepted = false;
        first.ErrorDataReceived += (_, e) =>
        {
            lock (firstErr) firstErr.AppendLine(e.Data);
            if (e.Data?.Contains(" accepted", StringComparison.Ordinal) == true) Volatile.Write(ref accepted, true);
        };
        first.BeginErrorReadLine();
        try
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
            while (!File.Exists(Path.Combine(data, "steep.pid")) || !Volatile.Read(ref accepted))
            {
                if (first.HasExited) Assert.Fail($"the first steep ended: {firstErr}");
                Assert.True(DateTime.UtcNow < deadline, "the first steep did not start");
                await Task.Delay(50);
            }

            var (code, _, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(1), "resume", "--services", services, "--data", data);
            Assert.True(code == 1, $"exit {code}: {stderr}");
            Assert.Contains($"is in use by another steep process (process {first.Id})", stderr);
            Assert.DoesNotContain("   at ", stderr);

            var (_, _, statusErr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", data);
            Assert.Contains($"in use by steep process {first.Id}", statusErr);
        }
        finally
        {
            first.Kill(entireProcessTree: true);
            await first.WaitForExitAsync();
        }

        // killed, it holds nothing: status says how to go on, and resume may start at once
        var (_, table, after) = await SteepCli.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", data);
        Assert.Contains("RUNNING", table);
        Assert.Contains("steep resume --data", after);
    }
}
