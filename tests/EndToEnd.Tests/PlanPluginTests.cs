using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Steep.EndToEnd.Tests;

/// <summary>`steep plan` with the example plugins: its chains are those `steep run` would store.</summary>
public sealed class PlanPluginTests
{
    private const string Example = "examples/plugins";

    private static async Task<JsonObject> PlanAsync(string? plugins, string data, params string[] args)
    {
        var psi = SteepCli.StartInfo(["plan", $"{Example}/workflow.yaml", "--services", $"{Example}/services.yaml", .. args]);
        psi.Environment["STEEP_DATADIR"] = data; // the plugin cache goes there, not into the repository
        psi.Environment.Remove("STEEP_PLUGINS");
        if (plugins is not null) psi.ArgumentList.Insert(psi.ArgumentList.IndexOf("plan") + 1, "--plugins");
        if (plugins is not null) psi.ArgumentList.Insert(psi.ArgumentList.IndexOf("--plugins") + 1, plugins);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.True(p.ExitCode == 0, $"exit {p.ExitCode}: {await stderr}");
        return JsonNode.Parse(await stdout)!.AsObject();
    }

    private static List<List<string>> Services(JsonObject plan) =>
        plan["processChains"]!.AsArray()
            .Select(c => c!["executables"]!.AsArray().Select(e => e!["serviceId"]!.GetValue<string>()).ToList())
            .ToList();

    [Fact]
    public async Task Plan_applies_the_consistency_checker_and_the_adapters_of_the_plugins()
    {
        var data = SteepCli.TempDirectory("plan-plugins");

        // without plugins, greet, flaky and list form one chain
        var plain = await PlanAsync(null, data);
        Assert.Contains(Services(plain), s => s.SequenceEqual(["greet", "flaky", "list"]));

        // isolateFlaky keeps flaky out of greet's chain
        var state = Path.Combine(data, "state.json");
        var first = await PlanAsync($"{Example}/plugins.yaml", data, "--state", state);
        var chains = Services(first);
        Assert.Contains(chains, s => s.SequenceEqual(["greet"]));
        Assert.DoesNotContain(chains, s => s.Contains("flaky"));

        // the next step gives flaky a chain of its own, with the three attempts retryFlaky gives it
        var greet = first["processChains"]!.AsArray().Single(c => c!["executables"]![0]!["serviceId"]!.GetValue<string>() == "greet")!;
        var results = Path.Combine(data, "results.json");
        File.WriteAllText(results, new JsonObject { ["greeting"] = new JsonArray("/tmp/greeting.txt") }.ToJsonString());
        var executed = Path.Combine(data, "executed.json");
        File.WriteAllText(executed, new JsonArray(greet["executables"]![0]!["id"]!.GetValue<string>()).ToJsonString());
        var second = await PlanAsync($"{Example}/plugins.yaml", data, "--state", state, "--results", results, "--executed", executed);
        var flaky = second["processChains"]!.AsArray().Select(c => c!["executables"]!.AsArray()).Single(e => e[0]!["serviceId"]!.GetValue<string>() == "flaky");
        Assert.Equal(3, flaky[0]!["retries"]!["maxAttempts"]!.GetValue<int>());
        // the compiled plugins are cached in the data directory (STEEP_DATADIR), as `steep run` caches them
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(data, "plugins"), "*.dll"));
    }

    [Fact]
    public async Task A_plugin_that_does_not_compile_stops_plan_naming_the_file_and_line()
    {
        var data = SteepCli.TempDirectory("plan-plugin-error");
        var script = Path.Combine(data, "Broken.cs");
        File.WriteAllText(script, "public sealed class Broken : IProcessChainAdapter\n{\n    this does not compile\n}\n");
        var descriptors = Path.Combine(data, "plugins.yaml");
        File.WriteAllText(descriptors, $"- name: broken\n  type: processChainAdapter\n  version: 1.0.0\n  scriptFile: {script}\n");
        var psi = SteepCli.StartInfo("plan", $"{Example}/workflow.yaml", "--services", $"{Example}/services.yaml", "--plugins", descriptors);
        psi.Environment["STEEP_DATADIR"] = data;
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(1, p.ExitCode);
        Assert.Contains("Broken.cs:3:", await stderr);
        Assert.Equal("", await stdout);
    }
}
