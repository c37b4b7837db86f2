using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Steep.EndToEnd.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// <c>deploy/local-cluster.sh</c> as a user runs it: starts its own PostgreSQL and two silos, which form one cluster
/// (a workflow submitted to one is read and finished on the other), and <c>stop</c> leaves no process or file behind.
/// </summary>
public sealed class LocalClusterScriptTests : IAsyncLifetime
{
    private const string Workflow = """
        api: 4.0.0
        vars:
          - id: pause
            value: 1
        actions:
          - type: execute
            service: sleep
            parameters:
              - id: seconds
                var: pause
        """;

    private static readonly string Script = Path.Combine(SteepCli.RepositoryRoot, "deploy", "local-cluster.sh");
    private readonly string _state = Path.Combine(Path.GetTempPath(), "steep-local-cluster-test-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (File.Exists(_state)) await RunAsync("stop"); // a failed test leaves nothing running either
    }

    [SkippableFact]
    public async Task Start_two_submit_to_one_read_on_the_other_and_stop_without_leftovers()
    {
        Skip.IfNot(File.Exists("/usr/lib/postgresql/15/bin/initdb"), "no PostgreSQL 15 binaries in /usr/lib/postgresql/15/bin");
        var start = await RunAsync("start", "2", "--services", "conf/services/sleep.yaml", "--agents", "1");
        Assert.True(start.ExitCode == 0, $"start failed ({start.ExitCode}): {start.Stdout}\n{start.Stderr}");
        var urls = start.Stdout.Split('\n').Where(l => l.StartsWith("silo", StringComparison.Ordinal))
            .ToDictionary(l => l.Split(' ')[0], l => new Uri(l.Split(' ')[1]));
        Assert.Equal(["silo1", "silo2"], urls.Keys.Order());
        var directory = File.ReadAllLines(_state)[0];
        var pids = File.ReadAllLines(Path.Combine(directory, "pids")).Select(int.Parse).ToList();
        Assert.Equal(2, pids.Count);
        Assert.All(pids, pid => Assert.True(Alive(pid), $"silo process {pid} runs"));

        using var submit = await _http.PostAsync(new Uri(urls["silo1"], "/workflows"), new StringContent(Workflow, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        string? status = null;
        while (DateTime.UtcNow < until && status != "SUCCESS")
        {
            var json = await _http.GetStringAsync(new Uri(urls["silo2"], $"/workflows/{id}"));
            status = JsonDocument.Parse(json).RootElement.GetProperty("status").GetString();
            if (status != "SUCCESS") await Task.Delay(200);
        }
        Assert.Equal("SUCCESS", status);
        // both silos' agents, listed by either
        var agents = JsonDocument.Parse(await _http.GetStringAsync(new Uri(urls["silo2"], "/agents"))).RootElement;
        Assert.Equal(["silo1-1", "silo2-1"], agents.EnumerateArray().Select(a => a.GetProperty("id").GetString()));

        var stop = await RunAsync("stop");
        Assert.True(stop.ExitCode == 0, $"stop failed ({stop.ExitCode}): {stop.Stderr}");
        Assert.All(pids, pid => Assert.False(Alive(pid), $"silo process {pid} still runs"));
        Assert.False(Directory.Exists(directory), $"{directory} is left");
        Assert.False(File.Exists(_state), $"{_state} is left");
        Assert.Empty(ProcessesMentioning(directory));
    }

    private async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var psi = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SteepCli.RepositoryRoot };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["STEEP_LOCAL_CLUSTER"] = _state;
        psi.Environment["PORT_BASE"] = "0";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // the first start may build the command (minutes)
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    private static bool Alive(int pid)
    {
        // a zombie (exited, not yet reaped by its parent) counts as gone
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        try
        {
            var text = File.ReadAllText(stat);
            return text[(text.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    /// <summary>The ids of the processes whose command line names <paramref name="directory"/> (PostgreSQL, a silo).</summary>
    private static List<int> ProcessesMentioning(string directory)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(directory, StringComparison.Ordinal) && Alive(pid)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // the process ended meanwhile
            }
        }
        return found;
    }
}
