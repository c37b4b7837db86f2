using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Steep.Api.Tests.Support;
using Steep.Core.Serialization;
using Steep.Silo.Hosting;

namespace Steep.Api.Tests;

/// <summary>Steep 6.5's process chain runs: <c>/processchains/{id}/runs</c>, <c>/runs/{n}</c> and the log of each run.</summary>
public sealed class RunEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task A_chain_that_ran_once_has_one_run_with_agent_times_and_status()
    {
        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow("hello runs")))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var chain = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!.AsObject();
        var chainId = chain["id"]!.GetValue<string>();

        var run = Assert.Single(await server.GetArrayAsync($"/processchains/{chainId}/runs"))!.AsObject();
        Assert.Equal(1, run["runNumber"]!.GetValue<int>());
        Assert.Equal("SUCCESS", run["status"]!.GetValue<string>());
        Assert.Equal(chain["agentId"]!.GetValue<string>(), run["agentId"]!.GetValue<string>());
        Assert.True(run["endTime"]!.GetValue<DateTimeOffset>() >= run["startTime"]!.GetValue<DateTimeOffset>());
        Assert.Null(run["errorMessage"]);
        Assert.Equal(run.ToJsonString(), (await server.GetJsonAsync($"/processchains/{chainId}/runs/1")).ToJsonString());
        var full = await server.GetJsonAsync($"/processchains/{chainId}");
        Assert.Equal((1, 1), (full["runNumber"]!.GetValue<int>(), full["totalRuns"]!.GetValue<int>()));

        using var log = await Client.GetAsync($"/logs/processchains/{chainId}?runNumber=1");
        Assert.Equal(HttpStatusCode.OK, log.StatusCode);
        Assert.Contains("hello runs", await log.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_failed_run_keeps_its_error_message()
    {
        var id = (await server.SubmitAsync(ApiServer.FailWorkflow))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var chainId = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>();
        var run = await server.GetJsonAsync($"/processchains/{chainId}/runs/1");
        Assert.Equal("ERROR", run["status"]!.GetValue<string>());
        Assert.Equal((await server.GetJsonAsync($"/processchains/{chainId}"))["errorMessage"]!.GetValue<string>(),
            run["errorMessage"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("/runs/2", HttpStatusCode.NotFound, "has no run 2 (its runs are 1 to 1)")]
    [InlineData("/runs/0", HttpStatusCode.BadRequest, "not a whole number from 1")]
    [InlineData("/runs/first", HttpStatusCode.BadRequest, "'first' is not a whole number")]
    [InlineData("?runNumber=2", HttpStatusCode.NotFound, "has no run 2")]
    [InlineData("?runNumber=-1", HttpStatusCode.BadRequest, "Parameter 'runNumber'")]
    [InlineData("?runNumber=1&runNumber=1", HttpStatusCode.BadRequest, "given once")]
    public async Task Runs_that_do_not_exist_or_numbers_that_are_not_numbers_are_answered_clearly(string suffix, HttpStatusCode expected, string message)
    {
        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow("x")))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var chainId = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>();
        var path = suffix.StartsWith('?') ? $"/logs/processchains/{chainId}{suffix}" : $"/processchains/{chainId}{suffix}";
        using var response = await Client.GetAsync(path);
        Assert.Equal(expected, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Unknown_chains_have_no_runs()
    {
        using var list = await Client.GetAsync("/processchains/nope/runs");
        Assert.Equal(HttpStatusCode.NotFound, list.StatusCode);
        using var one = await Client.GetAsync("/processchains/nope/runs/1");
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        Assert.Contains("nope", await one.Content.ReadAsStringAsync());
    }

    /// <summary>
    /// The chain is killed with its steep (run 1 never ends), the next steep on the same data directory resumes it: a
    /// second run, which succeeds; each run keeps its own log. This is how a chain is retried in this version.
    /// </summary>
    [Fact]
    public async Task A_chain_resumed_after_its_steep_stopped_gets_a_second_run_with_its_own_log()
    {
        using var dir = new TempDir();
        var marker = Path.Combine(dir.Path, "first-run-was-here");
        // first run: leaves a marker and sleeps (it is killed); second run: sees the marker and ends at once
        var script = dir.Write("once.sh", "#!/bin/sh\nif [ -e \"$1\" ]; then echo \"second run\"; exit 0; fi\ntouch \"$1\"\necho \"first run\"\nexec sleep 60\n");
        var servicesYaml = $$"""
            - id: once
              name: Once
              description: Sleeps the first time, ends the second
              path: sh
              runtime: other
              parameters:
                - id: script
                  name: Script
                  description: The script
                  type: argument
                  cardinality: 1..1
                  data_type: string
                - id: marker
                  name: Marker
                  description: The marker file
                  type: argument
                  cardinality: 1..1
                  data_type: string
            """;
        var workflow = $$"""
            {"api": "4.0.0", "vars": [{"id": "m", "value": {{System.Text.Json.JsonSerializer.Serialize(marker)}}},
                                     {"id": "s", "value": {{System.Text.Json.JsonSerializer.Serialize(script)}}}],
             "actions": [{"type": "execute", "service": "once",
                          "parameters": [{"id": "script", "var": "s"}, {"id": "marker", "var": "m"}]}]}
            """;

        string submissionId, chainId, firstAgent;
        await using (var first = await Steep.StartAsync(dir, servicesYaml))
        {
            submissionId = (await first.Api.SubmitAsync(workflow))["id"]!.GetValue<string>();
            var running = await first.Api.WaitForChainAsync(submissionId, "RUNNING");
            chainId = running["id"]!.GetValue<string>();
            firstAgent = running["agentId"]!.GetValue<string>();
            await WaitUntilAsync(() => File.Exists(marker));
            var run = Assert.Single(await first.Api.GetArrayAsync($"/processchains/{chainId}/runs"))!;
            Assert.Equal("RUNNING", run["status"]!.GetValue<string>());
            Assert.Null(run["endTime"]);
        }

        await using (var second = await Steep.StartAsync(dir, servicesYaml))
        {
            Assert.Contains(submissionId, await second.Host.ResumeAllAsync(CancellationToken.None));
            var submission = await second.Api.WaitForEndAsync(submissionId);
            Assert.Equal("SUCCESS", submission["status"]!.GetValue<string>());

            var runs = await second.Api.GetArrayAsync($"/processchains/{chainId}/runs");
            Assert.Equal(2, runs.Count);
            Assert.Equal((1, "ERROR", firstAgent), (runs[0]!["runNumber"]!.GetValue<int>(), runs[0]!["status"]!.GetValue<string>(), runs[0]!["agentId"]!.GetValue<string>()));
            Assert.Contains("interrupted", runs[0]!["errorMessage"]!.GetValue<string>());
            Assert.Equal((2, "SUCCESS"), (runs[1]!["runNumber"]!.GetValue<int>(), runs[1]!["status"]!.GetValue<string>()));
            Assert.NotNull(runs[1]!["agentId"]);
            Assert.NotNull(runs[1]!["endTime"]);
            Assert.Null(runs[0]!["endTime"]); // nobody saw it end
            var chain = await second.Api.GetJsonAsync($"/processchains/{chainId}");
            Assert.Equal((2, 2, "SUCCESS"), (chain["runNumber"]!.GetValue<int>(), chain["totalRuns"]!.GetValue<int>(), chain["status"]!.GetValue<string>()));

            var log1 = await second.Api.Http.GetStringAsync($"/logs/processchains/{chainId}?runNumber=1");
            var log2 = await second.Api.Http.GetStringAsync($"/logs/processchains/{chainId}?runNumber=2");
            var latest = await second.Api.Http.GetStringAsync($"/logs/processchains/{chainId}");
            Assert.Contains("first run", log1);
            Assert.DoesNotContain("second run", log1);
            Assert.Contains("second run", log2);
            Assert.DoesNotContain("first run", log2);
            Assert.Equal(log2, latest);
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("the condition did not come true");
            await Task.Delay(50);
        }
    }

    /// <summary>One steep (host and API on a test server) on a given data directory, as <c>steep serve</c> wires it.</summary>
    private sealed class Steep : IAsyncDisposable
    {
        private WebApplication _app = null!;

        public SteepHost Host { get; private set; } = null!;
        public ApiClient Api { get; private set; } = null!;

        public static async Task<Steep> StartAsync(TempDir dir, string servicesYaml)
        {
            var file = dir.Write("services.yaml", servicesYaml);
            var services = ModelReader.ReadServices(servicesYaml, file);
            var steep = new Steep();
            steep.Host = await SteepHost.StartAsync(new HostSettings
            {
                DataDirectory = dir.Path,
                TmpPath = Path.Combine(dir.Path, "tmp"),
                OutPath = Path.Combine(dir.Path, "out"),
                AgentCount = 1,
                Services = services,
                ServiceDirectories = services.ToDictionary(s => s.Id, _ => dir.Path),
            }, CancellationToken.None);
            steep._app = SteepWebServer.Create(steep.Host, null, null, b =>
            {
                b.WebHost.UseTestServer();
                b.Logging.ClearProviders();
            });
            await steep._app.StartAsync();
            steep.Api = new ApiClient(steep._app.GetTestClient());
            return steep;
        }

        public async ValueTask DisposeAsync()
        {
            Api.Http.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
            await Host.DisposeAsync();
        }
    }

    /// <summary>What the tests ask of one steep's API.</summary>
    private sealed class ApiClient(HttpClient http)
    {
        public HttpClient Http { get; } = http;

        public async Task<JsonObject> SubmitAsync(string workflow)
        {
            using var response = await Http.PostAsync("/workflows", ApiServer.Json(workflow));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
            return JsonNode.Parse(body)!.AsObject();
        }

        public async Task<JsonObject> GetJsonAsync(string path) => JsonNode.Parse(await GetAsync(path))!.AsObject();

        public async Task<JsonArray> GetArrayAsync(string path) => JsonNode.Parse(await GetAsync(path))!.AsArray();

        public async Task<JsonObject> WaitForChainAsync(string submissionId, string status)
        {
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (true)
            {
                var list = await GetArrayAsync($"/processchains?submissionId={submissionId}&status={status}");
                if (list.Count > 0) return list[0]!.AsObject();
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"submission {submissionId} has no {status} chain");
                await Task.Delay(50);
            }
        }

        public async Task<JsonObject> WaitForEndAsync(string id)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                var s = await GetJsonAsync($"/workflows/{id}");
                if (s["status"]!.GetValue<string>() is "SUCCESS" or "ERROR" or "PARTIAL_SUCCESS" or "CANCELLED"
                    && s["runningProcessChains"]!.GetValue<int>() == 0 && s["endTime"] is not null) return s;
                if (DateTime.UtcNow > deadline) throw new TimeoutException($"submission {id} did not end: {s.ToJsonString()}");
                await Task.Delay(50);
            }
        }

        private async Task<string> GetAsync(string path)
        {
            using var response = await Http.GetAsync(path);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}: {body}");
            return body;
        }
    }
}
