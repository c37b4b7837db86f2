using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Steep.Core.Serialization;
using Steep.Silo.Hosting;

namespace Steep.Api.Tests.Support;

/// <summary>
/// A real <see cref="SteepHost"/> (SQLite store in a temporary folder, two local agents running real processes) behind
/// the API on an in-memory test server, wired exactly as <c>steep serve</c> wires it.
/// </summary>
public class ApiServer : IAsyncLifetime
{
    public const string ServicesYaml = """
        - id: sleep
          name: Sleep
          description: Sleeps for the given number of seconds
          path: sleep
          runtime: other
          parameters:
            - id: seconds
              name: Seconds
              description: The number of seconds to sleep
              type: argument
              cardinality: 1..1
              data_type: integer
        - id: echo
          name: Echo
          description: Prints its argument
          path: echo
          runtime: other
          parameters:
            - id: text
              name: Text
              description: What to print
              type: argument
              cardinality: 1..1
              data_type: string
        - id: fail
          name: Fail
          description: Exits with code 1
          path: "false"
          runtime: other
          parameters: []
        - id: copy
          name: Copy
          description: Copies a file
          path: cp
          runtime: other
          parameters:
            - id: input_file
              name: Input
              description: Input file
              type: input
              cardinality: 1..1
              data_type: file
            - id: output_file
              name: Output
              description: Output file
              type: output
              cardinality: 1..1
              data_type: file
        """;

    private WebApplication? _app;

    public TempDir Dir { get; } = new();
    public SteepHost Host { get; private set; } = null!;
    public CountingInstance Instance { get; private set; } = null!;
    public HttpClient Client { get; private set; } = null!;

    /// <summary>True: Kestrel on a free local port (headers as a client on the wire sees them, websockets); false: a test server.</summary>
    protected virtual bool RealSocket => false;

    /// <summary>The server's base URL when <see cref="RealSocket"/> is set.</summary>
    public Uri BaseAddress => Client.BaseAddress!;

    /// <summary>Options of the API under test (tests override this to set a token, limits, keep-alive).</summary>
    protected virtual void Configure(SteepApiOptions options) => options.EventKeepAliveInterval = TimeSpan.FromMilliseconds(300);

    /// <summary>The plugins the server starts with; none here.</summary>
    protected virtual Steep.Plugins.PluginSet LoadPlugins() => Steep.Plugins.PluginSet.Empty;

    public virtual async Task InitializeAsync()
    {
        var servicesFile = Dir.Write("services.yaml", ServicesYaml);
        var services = ModelReader.ReadServices(ServicesYaml, servicesFile);
        var settings = new HostSettings
        {
            DataDirectory = Dir.Path,
            TmpPath = System.IO.Path.Combine(Dir.Path, "tmp"),
            OutPath = System.IO.Path.Combine(Dir.Path, "out"),
            AgentCount = 2,
            Services = services,
            ServiceDirectories = services.ToDictionary(s => s.Id, _ => Dir.Path),
            Plugins = LoadPlugins(),
        };
        Host = await SteepHost.StartAsync(settings, CancellationToken.None);
        Instance = new CountingInstance(Host);
        _app = SteepWebServer.Create(Instance, RealSocket ? "http://127.0.0.1:0" : null, Configure, b =>
        {
            if (!RealSocket) b.WebHost.UseTestServer();
            b.Logging.ClearProviders(); // the server log would only fill the test output
        });
        await _app.StartAsync();
        Client = RealSocket ? new HttpClient { BaseAddress = new Uri(_app.Urls.First()) } : _app.GetTestClient();
        Client.Timeout = TimeSpan.FromSeconds(30);
    }

    public async Task DisposeAsync()
    {
        Client.Dispose();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        await Host.DisposeAsync();
        Dir.Dispose();
    }

    /// <summary>Steep's quick-start workflow: one <c>sleep</c>.</summary>
    public static string SleepWorkflow(int seconds) => $"""
        api: 4.0.0
        vars:
          - id: sleep_seconds
            value: {seconds}
        actions:
          - type: execute
            service: sleep
            parameters:
              - id: seconds
                var: sleep_seconds
        """;

    /// <summary>One <c>echo</c> of <paramref name="text"/>.</summary>
    public static string EchoWorkflow(string text) => $$"""
        {"api": "4.0.0", "vars": [{"id": "t", "value": {{JsonSerializer.Serialize(text)}}}],
         "actions": [{"type": "execute", "service": "echo", "parameters": [{"id": "text", "var": "t"}]}]}
        """;

    /// <summary>One <c>fail</c>.</summary>
    public const string FailWorkflow = """
        api: 4.0.0
        actions:
          - type: execute
            service: fail
        """;

    /// <summary>Posts a workflow as curl -d does (form content type) and returns the accepted submission.</summary>
    public async Task<JsonObject> SubmitAsync(string workflow)
    {
        using var response = await Client.PostAsync("/workflows", new StringContent(workflow, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<JsonObject> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    public async Task<JsonArray> GetArrayAsync(string path)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsArray();
    }

    /// <summary>Polls <c>GET /workflows/{id}</c> until <paramref name="done"/> holds.</summary>
    public async Task<JsonObject> WaitForSubmissionAsync(string id, Func<JsonObject, bool> done, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var s = await GetJsonAsync($"/workflows/{id}");
            if (done(s)) return s;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"submission {id} did not get there: {s.ToJsonString()}");
            await Task.Delay(50);
        }
    }

    /// <summary>Waits until the submission has finished (final status and nothing running).</summary>
    public Task<JsonObject> WaitForEndAsync(string id, int timeoutSeconds = 20) =>
        WaitForSubmissionAsync(id, s => s["status"]!.GetValue<string>() is "SUCCESS" or "ERROR" or "PARTIAL_SUCCESS" or "CANCELLED"
            && s["runningProcessChains"]!.GetValue<int>() == 0 && s["endTime"] is not null, timeoutSeconds);

    /// <summary>Waits until the submission has a chain with <paramref name="status"/>; returns the chain (list form).</summary>
    public async Task<JsonObject> WaitForChainAsync(string submissionId, string status, int timeoutSeconds = 20)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (true)
        {
            var list = await GetArrayAsync($"/processchains?submissionId={submissionId}&status={status}");
            if (list.Count > 0) return list[0]!.AsObject();
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"submission {submissionId} has no {status} chain");
            await Task.Delay(50);
        }
    }

    public static StringContent Json(string json) => new(json, Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
}
