using System.Diagnostics;
using Steep.EndToEnd.Tests;

namespace Steep.Cluster.Tests;

/// <summary>What the commands say about cluster mode before they touch a database: run and resume refuse it, agent needs it.</summary>
public sealed class ClusterCommandTests
{
    private const string Postgres = "Host=127.0.0.1;Port=1;Username=nobody;Database=none";

    [Theory]
    [InlineData("run", "submit the workflow to any silo of the cluster")]
    [InlineData("resume", "the cluster's silos resume unfinished submissions themselves")]
    public async Task Run_and_resume_refuse_cluster_mode_and_say_what_to_do(string command, string advice)
    {
        var data = SteepCli.TempDirectory("refuse");
        string[] args = command == "run"
            ? ["run", "examples/split-join/workflow.yaml", "--data", data, "--services", "examples/split-join/services.yaml"]
            : ["resume", "--data", data];
        var (exit, stderr) = await Run(new Dictionary<string, string> { ["STEEP_CLUSTER_POSTGRES"] = Postgres }, args);
        Assert.Equal(1, exit);
        Assert.Contains($"`steep {command}` runs on this machine alone", stderr, StringComparison.Ordinal);
        Assert.Contains("STEEP_CLUSTER_POSTGRES", stderr, StringComparison.Ordinal);
        Assert.Contains(advice, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task Agent_without_a_cluster_says_it_needs_one()
    {
        var (exit, stderr) = await Run(new Dictionary<string, string>(), "agent", "--data", SteepCli.TempDirectory("agent"));
        Assert.Equal(1, exit);
        Assert.Contains("`steep agent` joins a cluster", stderr, StringComparison.Ordinal);
        Assert.Contains("STEEP_CLUSTER_POSTGRES", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_without_a_cluster_refuses_to_leave_the_scheduler_to_nobody()
    {
        var (exit, stderr) = await Run(new Dictionary<string, string> { ["STEEP_SCHEDULER_ENABLED"] = "false" },
            "serve", "--port", "0", "--data", SteepCli.TempDirectory("serve"));
        Assert.Equal(1, exit);
        Assert.Contains("'steep.scheduler.enabled' is false", stderr, StringComparison.Ordinal);
    }

    private static async Task<(int Exit, string Stderr)> Run(Dictionary<string, string> environment, params string[] args)
    {
        var psi = SteepCli.StartInfo(args);
        psi.Environment.Remove("STEEP_CLUSTER_POSTGRES");
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(15)); // the launcher may build first
        await p.WaitForExitAsync(timeout.Token);
        await stdout;
        return (p.ExitCode, await stderr);
    }
}
