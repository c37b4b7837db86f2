using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

/// <summary><c>./steep serve</c> as users run it: a real process on a free port, plain HTTP, SIGTERM at the end.</summary>
public sealed class ServeEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private static async Task<JsonObject> GetJsonAsync(HttpClient http, string path)
    {
        using var r = await http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    private static async Task<string> SubmitAsync(HttpClient http, string workflow)
    {
        // exactly what `curl -X POST …/workflows -d '…'` sends
        using var r = await http.PostAsync("/workflows", new StringContent(workflow, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    private static async Task<JsonObject> WaitAsync(HttpClient http, string id, Func<JsonObject, bool> done, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var s = await GetJsonAsync(http, $"/workflows/{id}");
            if (done(s)) return s;
            Assert.True(DateTime.UtcNow < deadline, $"submission {id}: {s.ToJsonString()}");
            await Task.Delay(100);
        }
    }

    private static bool Ended(JsonObject s) =>
        s["status"]!.GetValue<string>() is not ("ACCEPTED" or "RUNNING") && s["runningProcessChains"]!.GetValue<int>() == 0 && s["endTime"] is not null;

    [Fact]
    public async Task ServeRunsTheQuickStartAndSplitJoinFollowsEventsCancelsAndStopsOnSigterm()
    {
        using var data = new TempDir();
        var root = SteepProcess.RepositoryRoot();
        await using var steep = await SteepProcess.StartAsync(
            ["--port", "0", "--data", data.Path, "--agents", "2",
             "--services", "conf/services/sleep.yaml", "examples/split-join/services.yaml"],
            null, StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri(steep.Url), Timeout = TimeSpan.FromSeconds(30) };

        Assert.True((await GetJsonAsync(http, "/health"))["health"]!.GetValue<bool>());

        // follow the events from before the first submission
        using var eventsResponse = await http.SendAsync(new HttpRequestMessage(HttpMethod.Get, "/events"), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", eventsResponse.Content.Headers.ContentType!.MediaType);
        var events = new ConcurrentQueue<(string Name, JsonObject Data)>();
        var eventStream = new StreamReader(await eventsResponse.Content.ReadAsStreamAsync());
        Assert.Equal(": connected", await eventStream.ReadLineAsync());
        var reading = Task.Run(async () =>
        {
            string? name = null;
            try
            {
                while (await eventStream.ReadLineAsync() is { } line)
                {
                    if (line.StartsWith("event: ", StringComparison.Ordinal)) name = line[7..];
                    else if (line.StartsWith("data: ", StringComparison.Ordinal) && name is not null)
                        events.Enqueue((name, JsonNode.Parse(line[6..])!.AsObject()));
                }
            }
            catch (IOException)
            {
                // the server went away
            }
        });

        var quickStart = """
            api: 4.0.0
            vars:
              - id: sleep_seconds
                value: 1
            actions:
              - type: execute
                service: sleep
                parameters:
                  - id: seconds
                    var: sleep_seconds
            """;
        var sleepId = await SubmitAsync(http, quickStart);
        var splitJoinId = await SubmitAsync(http, await File.ReadAllTextAsync(Path.Combine(root, "examples/split-join/workflow.yaml")));

        var sleep = await WaitAsync(http, sleepId, Ended, 60);
        Assert.Equal("SUCCESS", sleep["status"]!.GetValue<string>());
        var splitJoin = await WaitAsync(http, splitJoinId, Ended, 60);
        Assert.True(splitJoin["status"]!.GetValue<string>() == "SUCCESS", splitJoin.ToJsonString());
        Assert.Equal(4, splitJoin["succeededProcessChains"]!.GetValue<int>());
        var joined = splitJoin["results"]!["outputFile4"]![0]!.GetValue<string>();
        var example = await File.ReadAllTextAsync(Path.Combine(root, "examples/split-join/example.txt"));
        Assert.Contains(example.Trim(), await File.ReadAllTextAsync(joined));

        // the event stream told the same story
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(HasSuccess(events, sleepId) && HasSuccess(events, splitJoinId)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"events: {string.Join("; ", events.Select(e => e.Name + " " + e.Data.ToJsonString()))}");
            await Task.Delay(50);
        }
        Assert.Contains(events, e => e.Name == "processChain" && e.Data["submissionId"]?.GetValue<string>() == splitJoinId);

        // a long sleep, cancelled
        var longId = await SubmitAsync(http, quickStart.Replace("value: 1", "value: 60"));
        await WaitAsync(http, longId, s => s["runningProcessChains"]!.GetValue<int>() == 1, 30);
        using (var cancel = await http.PutAsync($"/workflows/{longId}", new StringContent("""{"status": "CANCELLED"}""", Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
            // as in Steep's documentation: the answer shows the cancelled submission, nothing running, ended
            var answer = JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!;
            Assert.Equal("CANCELLED", answer["status"]!.GetValue<string>());
            Assert.Equal(0, answer["runningProcessChains"]!.GetValue<int>());
            Assert.Equal(1, answer["cancelledProcessChains"]!.GetValue<int>());
            Assert.NotNull(answer["endTime"]);
        }
        var cancelled = await WaitAsync(http, longId, Ended, 15);
        Assert.Equal("CANCELLED", cancelled["status"]!.GetValue<string>());
        Assert.Equal(1, cancelled["cancelledProcessChains"]!.GetValue<int>());

        using (var metrics = await http.GetAsync("/metrics"))
        {
            Assert.Contains("version=0.0.4", metrics.Content.Headers.ContentType!.ToString());
            var text = await metrics.Content.ReadAsStringAsync();
            Assert.Contains("steep_submissions{status=\"SUCCESS\"} 2\n", text);
            Assert.Contains("steep_submissions{status=\"CANCELLED\"} 1\n", text);
            Assert.Contains("steep_scheduler_process_chains{status=\"SUCCESS\"} 5\n", text);
            Assert.Contains("steep_agents 2\n", text);
            Assert.Contains("steep_process_chain_duration_seconds_count{service=\"copy\"} 3\n", text);
            Assert.Contains("steep_process_chain_duration_seconds_count{service=\"join\"} 1\n", text);
        }

        // SIGTERM with the event stream still open: a clean exit, quickly
        var stopwatch = Stopwatch.StartNew();
        var exit = await steep.TerminateAsync(TimeSpan.FromSeconds(15));
        Assert.True(exit == 0, $"exit code {exit?.ToString() ?? "(still running)"} after {stopwatch.Elapsed}; stderr:\n{steep.Errors}");
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(8), $"stopping took {stopwatch.Elapsed}");
        await reading.WaitAsync(TimeSpan.FromSeconds(5));
    }

    private static bool HasSuccess(IEnumerable<(string Name, JsonObject Data)> events, string id) =>
        events.Any(e => e.Name == "submission" && e.Data["id"]!.GetValue<string>() == id && e.Data["status"]!.GetValue<string>() == "SUCCESS");

    [Fact]
    public async Task ATokenFromTheEnvironmentGuardsAllButHealthAndARunningChainIsKilledOnSigtermAndRunsAgainOnRestart()
    {
        using var data = new TempDir();
        string[] args = ["--port", "0", "--data", data.Path, "--agents", "1", "--services", "conf/services/sleep.yaml"];
        var env = new Dictionary<string, string> { ["STEEP_HTTP_TOKEN"] = "e2e-token" };
        string id;
        await using (var steep = await SteepProcess.StartAsync(args, env, StartTimeout))
        {
            using var http = new HttpClient { BaseAddress = new Uri(steep.Url), Timeout = TimeSpan.FromSeconds(30) };
            using (var health = await http.GetAsync("/health")) Assert.Equal(HttpStatusCode.OK, health.StatusCode);
            using (var refused = await http.GetAsync("/workflows"))
            {
                Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
                Assert.Equal("Bearer", refused.Headers.WwwAuthenticate.Single().Scheme);
            }
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "e2e-token");
            id = await SubmitAsync(http, """
                api: 4.0.0
                vars: [{id: s, value: 3}]
                actions: [{type: execute, service: sleep, parameters: [{id: seconds, var: s}]}]
                """);
            await WaitAsync(http, id, s => s["runningProcessChains"]!.GetValue<int>() == 1, 30);

            var exit = await steep.TerminateAsync(TimeSpan.FromSeconds(15));
            Assert.True(exit == 0, $"exit code {exit?.ToString() ?? "(still running)"}; stderr:\n{steep.Errors}");
            // the running sleep was killed with the server, not left behind
            Assert.DoesNotContain(Process.GetProcessesByName("sleep"), p => CommandLine(p.Id) == "sleep\03\0");
        }

        // the next start resumes the submission: its chain went back to REGISTERED and runs again
        await using (var steep = await SteepProcess.StartAsync(args, env, StartTimeout))
        {
            using var http = new HttpClient { BaseAddress = new Uri(steep.Url), Timeout = TimeSpan.FromSeconds(30) };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "e2e-token");
            var resumed = await WaitAsync(http, id, Ended, 30);
            Assert.Equal("SUCCESS", resumed["status"]!.GetValue<string>());
            var chainId = (await GetJsonArrayAsync(http, $"/processchains?submissionId={id}")).Single()!["id"]!.GetValue<string>();
            Assert.Equal(2, (await GetJsonAsync(http, $"/processchains/{chainId}"))["totalRuns"]!.GetValue<int>());
            Assert.Equal(0, await steep.TerminateAsync(TimeSpan.FromSeconds(15)));
        }
    }

    private static async Task<JsonArray> GetJsonArrayAsync(HttpClient http, string path)
    {
        using var r = await http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!.AsArray();
    }

    private static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
