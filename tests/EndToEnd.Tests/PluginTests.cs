using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Steep.Tests.Shared;

namespace Steep.EndToEnd.Tests;

/// <summary>
/// Plugins as a user meets them: examples/plugins through `steep run` and `steep serve` (every plugin type), a plugin
/// that does not compile, and a runtime plugin that throws.
/// </summary>
public sealed class PluginTests
{
    private const string Example = "examples/plugins";

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string plugins, params string[] args)
    {
        var psi = SteepCli.StartInfo(args);
        psi.Environment["STEEP_PLUGINS"] = plugins;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"steep {string.Join(' ', args)} did not finish: {await stderr}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    [Fact]
    public async Task Run_uses_one_plugin_of_each_type()
    {
        var data = SteepCli.TempDirectory("plugins-run");
        var (code, stdout, stderr) = await RunAsync($"{Example}/plugins.yaml",
            "run", $"{Example}/workflow.yaml", "--services", $"{Example}/services.yaml", "--data", data);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("SUCCESS", root.GetProperty("status").GetString());
        // isolateFlaky (consistency checker) keeps flaky out of greet's chain: greet | flaky, list | progress
        Assert.Equal(3, root.GetProperty("succeededProcessChains").GetInt32());
        var results = root.GetProperty("results");

        // runtime "nice" ran greet at niceness 10; the initializers ran (checkTools, then setGreeting) before it
        var greeting = File.ReadAllText(results.GetProperty("greeting")[0].GetString()!);
        Assert.Contains("niceness 10", greeting);
        Assert.Contains("hello from the setGreeting initializer", greeting);

        // flaky fails its first attempt: only the retries retryFlaky (process chain adapter) gave it let it succeed
        Assert.Equal(greeting, File.ReadAllText(results.GetProperty("checked")[0].GetString()!));

        // the manifest output adapter turned list's manifest into the two files it names
        var listed = results.GetProperty("listed").EnumerateArray().Select(e => e.GetString()!).ToList();
        Assert.Equal(["a.txt", "b.txt"], listed.Select(Path.GetFileName));
        Assert.All(listed, f => Assert.Equal(greeting, File.ReadAllText(f)));

        // compiled once into the data directory's cache
        Assert.Equal(7, Directory.EnumerateFiles(Path.Combine(data, "plugins"), "*.dll").Count());
    }

    [Fact]
    public async Task A_plugin_that_does_not_compile_stops_start_up_naming_file_line_and_message()
    {
        var dir = SteepCli.TempDirectory("plugins-broken");
        var file = Path.Combine(dir, "Broken.cs");
        File.WriteAllText(file, "public sealed class Broken : IRuntime\n{\n    public Task ExecuteAsync(Executable e, IRuntimeContext c, CancellationToken ct) => Task.CompletedTask\n}\n");
        File.WriteAllText(Path.Combine(dir, "plugins.yaml"), $"- {{name: broken, type: runtime, scriptFile: {file}, supportedRuntime: broken}}\n");
        var (code, stdout, stderr) = await RunAsync(Path.Combine(dir, "plugins.yaml"),
            "run", "examples/split-join/workflow.yaml", "--services", "examples/split-join/services.yaml", "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("error: plugin 'broken' does not compile", stderr);
        Assert.Contains($"{file}:3:", stderr);
        Assert.Contains("error CS1002: ; expected", stderr);
        Assert.DoesNotContain("   at ", stderr); // no stack trace
    }

    [Fact]
    public async Task A_runtime_plugin_that_throws_fails_only_its_chain_naming_the_plugin()
    {
        var dir = SteepCli.TempDirectory("plugins-throwing");
        File.WriteAllText(Path.Combine(dir, "Explode.cs"), """
            public sealed class Explode : IRuntime
            {
                public Task ExecuteAsync(Executable executable, IRuntimeContext context, CancellationToken ct) =>
                    throw new InvalidOperationException("the cluster is unreachable");
            }
            """);
        File.WriteAllText(Path.Combine(dir, "plugins.yaml"), "- {name: explode, type: runtime, scriptFile: Explode.cs, supportedRuntime: cluster}\n");
        File.WriteAllText(Path.Combine(dir, "services.yaml"), """
            - id: remote
              name: remote
              description: runs on a cluster
              path: cp
              runtime: cluster
              parameters:
                - {id: i, name: i, description: i, type: input, cardinality: 1..1, data_type: file}
                - {id: o, name: o, description: o, type: output, cardinality: 1..1, data_type: file}
            - id: local
              name: local
              description: runs here
              path: cp
              runtime: other
              parameters:
                - {id: i, name: i, description: i, type: input, cardinality: 1..1, data_type: file}
                - {id: o, name: o, description: o, type: output, cardinality: 1..1, data_type: file}
            """);
        File.WriteAllText(Path.Combine(dir, "workflow.yaml"), """
            api: 4.0.0
            vars:
              - {id: in, value: examples/split-join/example.txt}
            actions:
              - {type: execute, service: remote, inputs: [{id: i, var: in}], outputs: [{id: o, var: a}]}
              - {type: execute, service: local, inputs: [{id: i, var: in}], outputs: [{id: o, var: b}]}
            """);
        var (code, stdout, stderr) = await RunAsync(Path.Combine(dir, "plugins.yaml"),
            "run", Path.Combine(dir, "workflow.yaml"), "--services", Path.Combine(dir, "services.yaml"), "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("PARTIAL_SUCCESS", root.GetProperty("status").GetString());
        Assert.Equal(1, root.GetProperty("succeededProcessChains").GetInt32());
        Assert.Equal(1, root.GetProperty("failedProcessChains").GetInt32());
        Assert.Contains("Runtime plugin 'explode' failed to run service 'remote'", stdout);
        Assert.Contains("the cluster is unreachable", stdout);
        Assert.True(root.GetProperty("results").TryGetProperty("b", out _));
    }

    [Fact]
    public async Task Serve_lists_the_plugins_and_shows_the_estimated_progress_of_a_running_chain()
    {
        var dir = SteepCli.TempDirectory("plugins-serve");
        var psi = SteepCli.StartInfo("serve", "--port", "0", "--data", Path.Combine(dir, "data"), "--agents", "2",
            "--services", $"{Example}/services.yaml");
        psi.Environment["STEEP_PLUGINS"] = $"{Example}/plugins.yaml";
        psi.Environment["STEEP_CLUSTER_GATEWAYPORT"] = FreePorts.Next().ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["PROGRESS_STEP_SECONDS"] = "1"; // services inherit it: progress.sh runs 4 s
        using var serve = Process.Start(psi)!;
        var stderr = serve.StandardError.ReadToEndAsync();
        try
        {
            string? url = null;
            using (var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)))
            {
                while (url is null && await serve.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
                    if (line.StartsWith("Listening on ", StringComparison.Ordinal)) url = line["Listening on ".Length..];
            }
            Assert.True(url is not null, "steep serve ended before it listened");
            using var http = new HttpClient { BaseAddress = new Uri(url!) };

            var plugins = await http.GetFromJsonAsync<JsonElement>("/plugins");
            Assert.Equal(["checkTools", "setGreeting", "nice", "manifest", "retryFlaky", "isolateFlaky", "percent"],
                plugins.EnumerateArray().Select(p => p.GetProperty("name").GetString()));
            var percent = await http.GetFromJsonAsync<JsonElement>("/plugins/percent");
            Assert.Equal("progressEstimator", percent.GetProperty("type").GetString());
            Assert.Equal("1.0.0", percent.GetProperty("version").GetString());
            Assert.Equal("examples/plugins/percent.csx", percent.GetProperty("scriptFile").GetString());
            Assert.Equal("progress", percent.GetProperty("supportedServiceIds")[0].GetString());
            var setGreeting = await http.GetFromJsonAsync<JsonElement>("/plugins/setGreeting");
            Assert.Equal("checkTools", setGreeting.GetProperty("dependsOn")[0].GetString());
            Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync("/plugins/nope")).StatusCode);

            var post = await http.PostAsync("/workflows", new StringContent(File.ReadAllText(Path.Combine(SteepCli.RepositoryRoot, Example, "workflow.yaml"))));
            Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
            var id = (await post.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            var estimates = new List<double>();
            string status = "";
            var deadline = DateTime.UtcNow.AddMinutes(2);
            while (DateTime.UtcNow < deadline)
            {
                var running = await http.GetFromJsonAsync<JsonElement>($"/processchains?submissionId={id}&status=RUNNING");
                foreach (var c in running.EnumerateArray())
                    if (c.TryGetProperty("estimatedProgress", out var p)) estimates.Add(p.GetDouble());
                status = (await http.GetFromJsonAsync<JsonElement>($"/workflows/{id}")).GetProperty("status").GetString()!;
                if (status is "SUCCESS" or "ERROR" or "PARTIAL_SUCCESS" or "CANCELLED") break;
                await Task.Delay(200);
            }
            Assert.Equal("SUCCESS", status);
            Assert.NotEmpty(estimates);
            Assert.All(estimates, e => Assert.InRange(e, 0.25, 1.0));
        }
        finally
        {
            if (!serve.HasExited)
            {
                serve.Kill(entireProcessTree: true);
                await serve.WaitForExitAsync();
            }
        }
    }
}
