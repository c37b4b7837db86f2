using System.Diagnostics;
using System.Text.Json;
using Xunit.Abstractions;
using Steep.Tests.Shared;

namespace Steep.EndToEnd.Tests;

/// <summary>
/// A separate .NET process (the sample in examples/orleans-client) talks to a real `steep serve` through the Orleans
/// gateway: it submits workflows, follows their status changes through an observer, lists their chains and cancels.
/// </summary>
public sealed class OrleansClientTests(ITestOutputHelper output) : IAsyncLifetime
{
    private Process? _serve;
    private int _gatewayPort;
    private string _dir = "";

    public async Task InitializeAsync()
    {
        _dir = SteepCli.TempDirectory("orleans-client");
        _gatewayPort = FreePorts.Next();
        var psi = SteepCli.StartInfo("serve", "--port", "0", "--data", Path.Combine(_dir, "data"), "--agents", "2", "--services",
            "examples/split-join/services.yaml", "conf/services/sleep.yaml");
        psi.Environment["STEEP_CLUSTER_GATEWAYPORT"] = _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _serve = Process.Start(psi)!;
        _ = _serve.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        while (await _serve.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            if (line.StartsWith("Listening on", StringComparison.Ordinal)) return;
        throw new InvalidOperationException("steep serve ended before it listened");
    }

    public async Task DisposeAsync()
    {
        if (_serve is { HasExited: false })
        {
            _serve.Kill(entireProcessTree: true);
            await _serve.WaitForExitAsync();
        }
        _serve?.Dispose();
    }

    [Fact]
    public async Task A_client_submits_observes_the_changes_and_reads_the_chains()
    {
        // split and join, and beside it a chain that sleeps, so that the submission still changes after the client
        // has subscribed
        var workflow = Path.Combine(_dir, "split-join-and-sleep.yaml");
        var splitJoin = await File.ReadAllTextAsync(Path.Combine(SteepCli.RepositoryRoot, "examples/split-join/workflow.yaml"));
        await File.WriteAllTextAsync(workflow, splitJoin.Replace("vars:\n", "vars:\n  - id: pause\n    value: 2\n") + """
              - type: execute
                service: sleep
                parameters:
                  - id: seconds
                    var: pause
            """);
        var (code, lines) = await RunClientAsync(workflow);

        Assert.Equal(0, code);
        var id = Single(lines, "submitted").GetProperty("submissionId").GetString();
        var changes = lines.Where(l => Event(l) == "changed").Select(l => l.GetProperty("change")).ToList();
        Assert.NotEmpty(changes);
        Assert.All(changes, c => Assert.Equal(id, c.GetProperty("submissionId").GetString()));
        Assert.Contains(changes, c => c.GetProperty("status").GetString() == "SUCCESS" && c.GetProperty("succeededProcessChains").GetInt32() == 5);
        var status = Single(lines, "finished").GetProperty("status");
        Assert.Equal("SUCCESS", status.GetProperty("Status").GetString());
        Assert.Equal(5, status.GetProperty("SucceededProcessChains").GetInt32());
        Assert.True(status.GetProperty("Results").TryGetProperty("outputFile4", out _));
        var chains = Single(lines, "chains").GetProperty("chains").EnumerateArray().ToList();
        Assert.Equal(5, chains.Count);
        Assert.All(chains, c =>
        {
            Assert.Equal("SUCCESS", c.GetProperty("Status").GetString());
            Assert.Equal(id, c.GetProperty("SubmissionId").GetString());
            Assert.False(string.IsNullOrEmpty(c.GetProperty("AgentId").GetString()));
        });
    }

    [Fact]
    public async Task A_client_cancels_a_running_submission()
    {
        var workflow = Path.Combine(_dir, "sleep.yaml");
        await File.WriteAllTextAsync(workflow, """
            api: 4.0.0
            vars: [{id: s, value: 60}]
            actions: [{type: execute, service: sleep, parameters: [{id: seconds, var: s}]}]
            """);
        var clock = Stopwatch.StartNew();
        var (code, lines) = await RunClientAsync(workflow, "--cancel-after", "2");

        Assert.Equal(1, code);
        Assert.Single(lines, l => Event(l) == "cancelled");
        var status = Single(lines, "finished").GetProperty("status");
        Assert.Equal("CANCELLED", status.GetProperty("Status").GetString());
        Assert.Equal(1, status.GetProperty("CancelledProcessChains").GetInt32());
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(40), $"cancelling took until {clock.Elapsed}");
        Assert.Equal("CANCELLED", Assert.Single(Single(lines, "chains").GetProperty("chains").EnumerateArray()).GetProperty("Status").GetString());
    }

    [Fact]
    public async Task A_rejected_workflow_comes_back_with_its_problems()
    {
        var workflow = Path.Combine(_dir, "bad.yaml");
        await File.WriteAllTextAsync(workflow, """
            api: 4.0.0
            actions: [{type: execute, service: no-such-service}]
            """);
        var (code, lines) = await RunClientAsync(workflow);

        Assert.Equal(1, code);
        var problems = Single(lines, "rejected").GetProperty("problems").EnumerateArray().Select(p => p.GetString()).ToList();
        Assert.Contains(problems, p => p!.Contains("no-such-service", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => Event(l) == "submitted");
    }

    private async Task<(int Code, List<JsonElement> Lines)> RunClientAsync(string workflow, params string[] extra)
    {
        var dll = Path.Combine(SteepCli.RepositoryRoot, "examples", "orleans-client", "bin", "Release", "net10.0", "steep-orleans-client.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing: build the solution first");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { dll, workflow, "--gateway", _gatewayPort.ToString(System.Globalization.CultureInfo.InvariantCulture) }.Concat(extra))
            psi.ArgumentList.Add(a);
        using var client = Process.Start(psi)!;
        var stdout = client.StandardOutput.ReadToEndAsync();
        var stderr = client.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await client.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);
        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        return (client.ExitCode, lines);
    }

    private static string? Event(JsonElement line) => line.GetProperty("event").GetString();

    private static JsonElement Single(List<JsonElement> lines, string name) => Assert.Single(lines, l => Event(l) == name);
}
