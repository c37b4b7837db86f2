using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Steep.Cluster.Tests.Support;
using Steep.EndToEnd.Tests;
using Steep.Persistence.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// The HTTP API of two real <c>steep serve</c> silos answers for the whole cluster: <c>/agents</c> lists both silos'
/// agents, <c>/logs/processchains/{id}</c> serves a log from the other silo's data directory (whole, Range, x-range),
/// <c>/events</c> carries the other silo's agent events, and the log of a killed silo is a clear 503.
/// </summary>
public sealed class ServeClusterApiTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    // six chains of a second for two agents: both silos run some
    private const string Workflow = """
        api: 4.0.0
        vars:
          - id: pauses
            value: [1, 1, 1, 1, 1, 1]
          - id: p
        actions:
          - type: for
            input: pauses
            enumerator: p
            actions:
              - type: execute
                service: sleep
                parameters:
                  - id: seconds
                    var: p
        """;

    private readonly string _clusterId = "http-" + Guid.NewGuid().ToString("N")[..8];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _directory = "";
    private ClusterApi _api = null!;

    public Task InitializeAsync()
    {
        _directory = SteepCli.TempDirectory("cluster-api");
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
    public async Task Every_silo_answers_agents_logs_and_events_of_the_whole_cluster()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        var started = await ServeProcess.StartClusterAsync(database.ConnectionString, _clusterId, _directory, "a", "b");
        await using var a = started[0];
        await using var b = started[1];

        // GET /agents on either silo: both silos' agents, with their silo and host
        foreach (var silo in started)
        {
            await WaitUntil(async () => (await Agents(silo)).Count == 2, TimeSpan.FromSeconds(15), $"two agents listed by {silo.Url}");
            Assert.Equal(["a-1:a", "b-1:b"], (await Agents(silo)).Select(x => $"{x.GetProperty("id")}:{x.GetProperty("silo")}"));
            Assert.All(await Agents(silo), x => Assert.Equal(Environment.MachineName, x.GetProperty("host").GetString()));
        }

        // /events on b, open before the workflow starts
        using var events = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var agentEventsOnB = ReadAgentEventsAsync(b, events.Token);

        using var submit = await _http.PostAsync(new Uri(a.Url, "/workflows"), new StringContent(Workflow, Encoding.UTF8, "application/yaml"));
        Assert.Equal(HttpStatusCode.Accepted, submit.StatusCode);
        var id = JsonDocument.Parse(await submit.Content.ReadAsStringAsync()).RootElement.GetProperty("id").GetString()!;
        await WaitUntil(async () => await Status(b, id) is "SUCCESS" or "ERROR" or "PARTIAL_SUCCESS", TimeSpan.FromSeconds(90), $"submission {id} finished");
        Assert.Equal("SUCCESS", await Status(b, id));
        // the agent of silo a became busy, seen on silo b's stream
        Assert.Contains("a-1:busy", await agentEventsOnB);

        // every chain's log, from both silos, is the file in the data directory of the silo that ran it
        var chains = await ChainIds(a, id);
        Assert.Equal(6, chains.Count);
        var ranOn = chains.ToDictionary(c => c, c => File.Exists(LogPath("a", c)) ? "a" : File.Exists(LogPath("b", c)) ? "b" : "none");
        output.WriteLine(string.Join(", ", ranOn.Select(kv => $"{kv.Key}:{kv.Value}")));
        Assert.DoesNotContain("none", ranOn.Values);
        Assert.Contains("a", ranOn.Values);
        Assert.Contains("b", ranOn.Values);
        foreach (var (chain, where) in ranOn)
        {
            var file = await File.ReadAllBytesAsync(LogPath(where, chain));
            Assert.NotEmpty(file);
            foreach (var silo in started) Assert.Equal(file, await _http.GetByteArrayAsync(new Uri(silo.Url, $"/logs/processchains/{chain}")));
        }

        // a log on silo a read through silo b with Range and x-range, as a local one is
        var remote = ranOn.First(kv => kv.Value == "a").Key;
        var bytes = await File.ReadAllBytesAsync(LogPath("a", remote));
        using (var range = new HttpRequestMessage(HttpMethod.Get, new Uri(b.Url, $"/logs/processchains/{remote}")))
        {
            range.Headers.Range = new RangeHeaderValue(0, 9);
            using var response = await _http.SendAsync(range);
            Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
            Assert.Equal($"bytes 0-9/{bytes.Length}", response.Content.Headers.ContentRange?.ToString());
            Assert.Equal(bytes[..10], await response.Content.ReadAsByteArrayAsync());
        }
        using (var extended = new HttpRequestMessage(HttpMethod.Get, new Uri(b.Url, $"/logs/processchains/{remote}")))
        {
            extended.Headers.Add("x-range", "bytes=-5");
            using var response = await _http.SendAsync(extended);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal($"bytes {bytes.Length - 5}-{bytes.Length - 1}/{bytes.Length}", response.Headers.GetValues("x-content-range").Single());
            Assert.Equal(bytes[^5..], await response.Content.ReadAsByteArrayAsync());
        }
        using (var beyond = new HttpRequestMessage(HttpMethod.Get, new Uri(b.Url, $"/logs/processchains/{remote}")))
        {
            beyond.Headers.Range = new RangeHeaderValue(bytes.Length + 10, null);
            using var response = await _http.SendAsync(beyond);
            Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, response.StatusCode);
        }

        // silo a is killed: its logs cannot be had, and silo b says why instead of failing
        a.Kill();
        await WaitUntil(async () => (await _api.ActiveSiloNamesAsync()).SequenceEqual(["b"]), TimeSpan.FromSeconds(30), "silo a declared dead");
        using (var gone = await _http.GetAsync(new Uri(b.Url, $"/logs/processchains/{remote}")))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, gone.StatusCode);
            Assert.Contains("silo 'a', which is not running", await gone.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        // the survivor's agent alone (while the cluster settles after the kill, a silo's list may take a moment)
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await WaitUntil(async () => (await Agents(b)).Select(x => $"{x.GetProperty("id")}:{x.GetProperty("silo")}").SequenceEqual(["b-1:b"]),
            TimeSpan.FromSeconds(30), "silo b lists its own agent only");
        output.WriteLine($"GET /agents on b listed b-1 alone {clock.ElapsedMilliseconds} ms after a was declared dead");
    }

    private string LogPath(string silo, string chain) => Path.Combine(_directory, silo, "logs", chain + ".log");

    private async Task<List<JsonElement>> Agents(ServeProcess silo)
    {
        var json = await _http.GetStringAsync(new Uri(silo.Url, "/agents"));
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private async Task<string?> Status(ServeProcess silo, string id)
    {
        var json = await _http.GetStringAsync(new Uri(silo.Url, $"/workflows/{id}"));
        return JsonDocument.Parse(json).RootElement.GetProperty("status").GetString();
    }

    private async Task<List<string>> ChainIds(ServeProcess silo, string submissionId)
    {
        var json = await _http.GetStringAsync(new Uri(silo.Url, $"/processchains?submissionId={submissionId}&size=100"));
        return JsonDocument.Parse(json).RootElement.EnumerateArray().Select(e => e.GetProperty("id").GetString()!).ToList();
    }

    /// <summary>The agent events of <paramref name="silo"/>'s <c>/events</c> as "id:state", until a-1 was busy or time is up.</summary>
    private async Task<List<string>> ReadAgentEventsAsync(ServeProcess silo, CancellationToken ct)
    {
        var seen = new List<string>();
        using var client = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            using var response = await client.GetAsync(new Uri(silo.Url, "/events"), HttpCompletionOption.ResponseHeadersRead, ct);
            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(ct));
            string? name = null;
            while (await reader.ReadLineAsync(ct) is { } line)
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                else if (line.StartsWith("data: ", StringComparison.Ordinal) && name == "agent")
                {
                    var data = JsonDocument.Parse(line[6..]).RootElement;
                    seen.Add($"{data.GetProperty("id")}:{data.GetProperty("state")}");
                    if (seen[^1] == "a-1:busy") break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // time is up: the caller sees what came
        }
        return seen;
    }

    private static Task WaitUntil(Func<Task<bool>> condition, TimeSpan patience, string what) => ClusterApi.WaitUntil(condition, patience, what);
}
