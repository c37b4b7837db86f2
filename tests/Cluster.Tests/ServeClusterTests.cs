using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Steep.Cluster.Tests.Support;
using Steep.EndToEnd.Tests;
using Steep.Persistence.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// Two real <c>steep serve</c> processes on 127.0.0.1 in cluster mode against one PostgreSQL database: one cluster,
/// one registry, and a killed silo declared dead by the other.
/// </summary>
public sealed class ServeClusterTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
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

    private readonly string _clusterId = "serve-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _directory = "";
    private ClusterApi _api = null!;

    public Task InitializeAsync()
    {
        _directory = SteepCli.TempDirectory("cluster");
        _api = new ClusterApi(database.ConnectionString, _clusterId);
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        _http.Dispose();
        _api.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held by a process being killed; the directory is in the temp folder
        }
        return Task.CompletedTask;
    }

    [SkippableFact]
    public async Task A_workflow_submitted_to_one_silo_is_seen_and_finished_on_the_other()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        var clock = Stopwatch.StartNew();
        var started = await ServeProcess.StartClusterAsync(database.ConnectionString, _clusterId, _directory, "a", "b");
        await using var a = started[0];
        await using var b = started[1];
        output.WriteLine($"two silos listening and active {clock.ElapsedMilliseconds} ms after start");

        using var submit = await _http.PostAsync(new Uri(a.Url, "/workflows"), new StringContent(Workflow, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;

        // the other silo answers from the same registry at once, and sees it finish
        var seen = await Submission(b, id);
        Assert.Equal(id, seen.GetProperty("id").GetString());
        await WaitUntil(async () => (await Submission(b, id)).GetProperty("status").GetString() == "SUCCESS", TimeSpan.FromSeconds(60),
            $"submission {id} SUCCESS on silo b");
        Assert.Equal("SUCCESS", (await Submission(a, id)).GetProperty("status").GetString());
        Assert.Equal(["a", "b"], await _api.ActiveSiloNamesAsync());
    }

    [SkippableFact]
    public async Task A_killed_silo_is_declared_dead_by_the_other_within_the_configured_time()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        var started = await ServeProcess.StartClusterAsync(database.ConnectionString, _clusterId, _directory, "a", "b");
        await using var a = started[0];
        await using var b = started[1];

        b.Kill();
        var clock = Stopwatch.StartNew();
        await WaitUntil(async () => (await _api.ActiveSiloNamesAsync()).SequenceEqual(["a"]), TimeSpan.FromSeconds(30), "silo b declared dead");
        output.WriteLine($"silo b declared dead {clock.ElapsedMilliseconds} ms after SIGKILL");
        // refused connections fail the probes at once: measured 4-6 s; the bound leaves room for a loaded CI machine
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(15));

        // the survivor still answers from the registry
        using var list = await _http.GetAsync(new Uri(a.Url, "/workflows"));
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    [SkippableFact]
    public async Task A_frozen_silo_is_declared_dead_after_its_probes_time_out()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        var started = await ServeProcess.StartClusterAsync(database.ConnectionString, _clusterId, _directory, "a", "b");
        await using var a = started[0];
        await using var b = started[1];

        // no connection is refused here: each probe waits for its 2 s timeout, three are missed, then the vote
        await b.FreezeAsync();
        var clock = Stopwatch.StartNew();
        await WaitUntil(async () => (await _api.ActiveSiloNamesAsync()).SequenceEqual(["a"]), TimeSpan.FromSeconds(30), "silo b declared dead");
        output.WriteLine($"silo b declared dead {clock.ElapsedMilliseconds} ms after SIGSTOP");
        // measured 7.8-8.2 s; the bound leaves room for a loaded CI machine and is still below the 25 s of Orleans'
        // uncapped adaptive probe timeout
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(18));
    }

    private async Task<JsonElement> Submission(ServeProcess silo, string id)
    {
        using var response = await _http.GetAsync(new Uri(silo.Url, $"/workflows/{id}"));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static Task WaitUntil(Func<Task<bool>> condition, TimeSpan patience, string what) => ClusterApi.WaitUntil(condition, patience, what);
}
