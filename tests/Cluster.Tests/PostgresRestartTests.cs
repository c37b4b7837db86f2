using System.Diagnostics;
using Npgsql;
using Steep.Cluster.Tests.Support;
using Steep.EndToEnd.Tests;
using Steep.Persistence.Tests;
using static Steep.Cluster.Tests.Support.ClusterApi;

namespace Steep.Cluster.Tests;

/// <summary>
/// The cluster's PostgreSQL server restarted during a workflow (stopped, down for some seconds, started again): the
/// silos wait for it instead of failing chains or submissions, stay members of the cluster, and the workflow finishes
/// with every chain run exactly once. The test runs its own server, which it may stop.
/// </summary>
public sealed class PostgresRestartTests(ITestOutputHelper output) : IAsyncLifetime
{
    // how long the server stays down: 8 s by default (a restart); STEEP_TEST_PGDOWN_SECONDS tries longer outages
    private static readonly TimeSpan Down = TimeSpan.FromSeconds(
        int.TryParse(Environment.GetEnvironmentVariable("STEEP_TEST_PGDOWN_SECONDS"), out var s) && s > 0 ? s : 8);

    private readonly string _clusterId = "pgrestart-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<ServeProcess> _silos = new();
    private PostgresServer? _server;
    private string _postgres = ""; // the silos' (pooled)
    private string _unpooled = ""; // the test's own: a pooled connection would not survive the restart
    private string _directory = "";
    private ClusterApi _api = null!;

    public async Task InitializeAsync()
    {
        _directory = SteepCli.TempDirectory("pgrestart");
        if (!PostgresServer.CanStartOwn) return;
        _server = await PostgresServer.StartOwnAsync();
        _postgres = await _server.CreateDatabaseAsync("steep_restart");
        _unpooled = new NpgsqlConnectionStringBuilder(_postgres) { Pooling = false }.ConnectionString;
        _api = new ClusterApi(_unpooled, _clusterId);
    }

    public async Task DisposeAsync()
    {
        foreach (var silo in _silos)
        {
            await silo.DisposeAsync();
            output.WriteLine($"--- stderr of {silo.Name} ---\n{silo.StderrSoFar}");
        }
        _api?.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a process being killed; the directory is in the temp folder
        }
    }

    [SkippableFact]
    public async Task A_workflow_finishes_with_every_chain_run_once_when_PostgreSQL_restarts_mid_run()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        Skip.IfNot(PostgresServer.CanStartOwn, "this test restarts a PostgreSQL server of its own and needs the PostgreSQL 15 binaries");
        var a = await Start("a");
        var b = await Start("b");
        await WaitUntil(async () => await _api.ActiveSilosAsync() == 2, TimeSpan.FromSeconds(30), "both silos active");
        var generations = await GenerationsAsync();

        // 4 agents, chains of 1-3 s: chains start and end all through the outage
        var first = await _api.SubmitAsync(a, Sleeps(Enumerable.Range(0, 24).Select(i => 1 + i % 3).ToArray()));
        await WaitUntil(async () =>
        {
            var chains = await _api.ChainsAsync(a, first);
            return chains.Count(c => c.Status == "SUCCESS") >= 4 && chains.Count(c => c.Status == "RUNNING") == 4;
        }, TimeSpan.FromSeconds(60), "four chains done and four running");

        var stoppedAt = DateTimeOffset.UtcNow;
        await _server!.StopAsync();
        // submitted while the database is down: accepted once it is back, not refused
        var submittedDuringOutage = Task.Run(() => _api.SubmitAsync(b, Sleeps(6, 1)));
        await Task.Delay(Down);
        await _server.StartAgainAsync();
        var backAt = DateTimeOffset.UtcNow;
        output.WriteLine($"PostgreSQL down for {(backAt - stoppedAt).TotalSeconds:0.0} s");

        var second = await submittedDuringOutage;
        var clock = Stopwatch.StartNew();
        await WaitUntil(async () => await _api.StatusAsync(a, first) == "SUCCESS" && await _api.StatusAsync(b, second) == "SUCCESS",
            TimeSpan.FromSeconds(120), "both submissions SUCCESS");
        var finished = clock.Elapsed;

        var chains = (await _api.ChainsAsync(b, first)).Concat(await _api.ChainsAsync(a, second)).ToList();
        Assert.Equal(24 + 6, chains.Count); // nothing lost, nothing registered twice
        Assert.Equal(chains.Count, chains.Select(c => c.Id).Distinct().Count());
        Assert.All(chains, c => Assert.Equal("SUCCESS", c.Status));
        var runs = await Task.WhenAll(chains.Select(c => _api.RunsAsync(a, c.Id)));
        Assert.All(runs, r => Assert.Single(r)); // no silo was lost: every chain ran exactly once
        Assert.All(runs, r => Assert.Equal("SUCCESS", r[0].Status));
        var firstStartAfter = runs.Select(r => r[0].StartTime).Where(t => t >= backAt).DefaultIfEmpty().Min();
        var firstEndAfter = runs.Select(r => r[0].EndTime).Where(t => t >= backAt).Min();
        output.WriteLine($"after PostgreSQL was back: first chain started {(firstStartAfter - backAt).TotalSeconds:0.0} s, " +
            $"first chain ended {(firstEndAfter!.Value - backAt).TotalSeconds:0.0} s later; both submissions SUCCESS after {finished.TotalSeconds:0.0} s");

        // both silos lived through it, as the members they were (no silo declared dead, none joined again)
        Assert.False(a.HasExited, "silo a exited");
        Assert.False(b.HasExited, "silo b exited");
        Assert.Equal(generations, await GenerationsAsync());
        Assert.InRange((firstEndAfter.Value - backAt).TotalSeconds, 0, 10); // the store's pauses between tries are 2 s at most
    }

    private async Task<ServeProcess> Start(string name)
    {
        var silo = await ServeProcess.StartAsync(_postgres, _clusterId, name, _directory, agents: 2);
        _silos.Add(silo);
        return silo;
    }

    /// <summary>The active rows of the membership table: address and generation of each silo.</summary>
    private async Task<List<string>> GenerationsAsync()
    {
        await using var connection = new NpgsqlConnection(_unpooled);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT siloname || '@' || address || ':' || port || ':' || generation FROM steep.orleansmembershiptable WHERE deploymentid = @p AND status = 3 ORDER BY 1",
            connection);
        command.Parameters.AddWithValue("p", _clusterId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) rows.Add(reader.GetString(0));
        return rows;
    }
}
