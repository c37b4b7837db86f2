using System.Text.Json;
using Steep.Cluster.Tests.Support;
using Steep.EndToEnd.Tests;
using Steep.Persistence.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// Plugins live on the silo whose agents run the chain: an agent-only silo with the example plugins runs the chains of
/// a workflow submitted to a silo that has none, under its runtime plugin, and its progress estimates reach the other
/// silo's HTTP API.
/// </summary>
public sealed class PluginClusterTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private readonly string _clusterId = "plugins-" + Guid.NewGuid().ToString("N")[..8];
    private readonly List<(string Name, ServeProcess Silo)> _silos = [];
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private string _directory = "";

    public Task InitializeAsync()
    {
        _directory = SteepCli.TempDirectory("plugin-cluster");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var (name, silo) in _silos)
        {
            await silo.DisposeAsync();
            output.WriteLine($"--- stderr of {name} ---\n{silo.StderrSoFar}");
        }
        _http.Dispose();
    }

    [SkippableFact]
    public async Task An_agent_silo_runs_chains_under_its_runtime_plugin_and_its_estimates_reach_the_other_silo()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        var example = Path.Combine(SteepCli.RepositoryRoot, "examples", "plugins");
        // only the agent silo's agents have "plugins": the serving silo's agent cannot take these chains
        var services = Path.Combine(_directory, "services.yaml");
        await File.WriteAllTextAsync(services, $"""
            - id: greet
              name: Greet
              description: Copies the input and adds the niceness it ran at
              path: {example}/greet.sh
              runtime: nice
              requiredCapabilities: [plugins]
              parameters:
                - {"{"}id: input_file, name: Input, description: Input file, type: input, cardinality: 1..1, data_type: file{"}"}
                - {"{"}id: output_file, name: Output, description: Output file, type: output, cardinality: 1..1, data_type: file{"}"}
            - id: progress
              name: Progress
              description: Counts to 100% in four steps
              path: {example}/progress.sh
              runtime: other
              requiredCapabilities: [plugins]
              parameters:
                - {"{"}id: output_file, name: Output, description: Output file, type: output, cardinality: 1..1, data_type: file{"}"}
            """);
        var a = await ServeProcess.StartAsync(database.ConnectionString, _clusterId, "a", _directory, 1, null, services);
        _silos.Add(("a", a));
        var b = await ServeProcess.StartAgentAsync(database.ConnectionString, _clusterId, "b", _directory, 2, "plugins", services,
            new Dictionary<string, string> { ["STEEP_PLUGINS"] = "examples/plugins/plugins.yaml", ["PROGRESS_STEP_SECONDS"] = "2" });
        _silos.Add(("b", b));

        var id = await SubmitAsync(a, $"""
            api: 4.0.0
            vars:
              - id: input
                value: {example}/hello.txt
            actions:
              - type: execute
                service: greet
                inputs:
                  - {"{"}id: input_file, var: input{"}"}
                outputs:
                  - {"{"}id: output_file, var: greeting{"}"}
              - type: execute
                service: progress
                outputs:
                  - {"{"}id: output_file, var: counted{"}"}
            """);

        // the progress chain runs on b; a asks b's agent for the estimate
        double? estimate = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(90);
        while (estimate is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "a never showed an estimatedProgress of the running progress chain");
            foreach (var c in await GetAsync(a, $"/processchains?submissionId={id}"))
                if (c.GetProperty("status").GetString() == "RUNNING" && c.TryGetProperty("estimatedProgress", out var p))
                    estimate = p.GetDouble(); // only the progress chain has an estimator
            if (estimate is null) await Task.Delay(200);
        }
        Assert.InRange(estimate.Value, 0.25, 1.0);

        JsonElement submission;
        do
        {
            Assert.True(DateTime.UtcNow < deadline, "the submission did not finish");
            await Task.Delay(300);
            submission = (await GetAsync(a, $"/workflows/{id}")).Single();
        } while (submission.GetProperty("status").GetString() is "ACCEPTED" or "RUNNING");
        Assert.Equal("SUCCESS", submission.GetProperty("status").GetString());

        // b's runtime plugin ran greet at niceness 10, after b's initializers had run
        var greeting = await File.ReadAllTextAsync(submission.GetProperty("results").GetProperty("greeting")[0].GetString()!);
        Assert.Contains("niceness 10", greeting);
        Assert.Contains("hello from the setGreeting initializer", greeting);
        foreach (var c in await GetAsync(a, $"/processchains?submissionId={id}"))
            Assert.True(b.Owns(c.GetProperty("agentId").GetString()), $"{c.GetProperty("id")} ran on {c.GetProperty("agentId")}");
    }

    private async Task<string> SubmitAsync(ServeProcess silo, string workflow)
    {
        using var r = await _http.PostAsync(new Uri(silo.Url, "/workflows"), new StringContent(workflow, System.Text.Encoding.UTF8, "application/yaml"));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == System.Net.HttpStatusCode.Accepted, $"{(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    private async Task<IReadOnlyList<JsonElement>> GetAsync(ServeProcess silo, string path)
    {
        var root = JsonDocument.Parse(await _http.GetStringAsync(new Uri(silo.Url, path))).RootElement;
        return root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().ToList() : [root];
    }
}
