using System.Text.Json;

namespace Steep.EndToEnd.Tests;

/// <summary>`steep run` on the documented examples and on bad input, as a user runs it.</summary>
public sealed class RunCommandTests
{
    [Theory]
    [InlineData("parallel-copies", 2)]
    [InlineData("chained-copies", 1)]
    [InlineData("split-join", 4)]
    [InlineData("for-each-split", 7)]
    [InlineData("countdown", 3)]
    public async Task Example_runs_to_success(string example, int chains)
    {
        var data = SteepCli.TempDirectory(example);
        var (code, stdout, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(3), "run",
            $"examples/{example}/workflow.yaml", "--services", $"examples/{example}/services.yaml", "--data", data);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("SUCCESS", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal(chains, doc.RootElement.GetProperty("succeededProcessChains").GetInt32());
        Assert.Contains("SUCCESS", stderr);
        foreach (var result in doc.RootElement.GetProperty("results").EnumerateObject())
            foreach (var file in result.Value.EnumerateArray())
                Assert.True(File.Exists(file.GetString()) || Directory.Exists(file.GetString()), $"result {file} missing");
    }

    [Fact]
    public async Task Split_join_output_holds_the_input_twice()
    {
        var data = SteepCli.TempDirectory("split-join-content");
        var (code, stdout, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(3), "run",
            "examples/split-join/workflow.yaml", "--services", "examples/split-join/services.yaml", "--data", data);
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var joined = doc.RootElement.GetProperty("results").GetProperty("outputFile4")[0].GetString()!;
        var input = await File.ReadAllTextAsync(Path.Combine(SteepCli.RepositoryRoot, "examples/split-join/example.txt"));
        Assert.Equal(input + input, await File.ReadAllTextAsync(joined));
    }

    [Fact]
    public async Task Invalid_workflow_is_rejected_with_every_problem_and_nothing_is_stored()
    {
        var dir = SteepCli.TempDirectory("invalid");
        var wf = Path.Combine(dir, "wf.yaml");
        await File.WriteAllTextAsync(wf, """
            api: 4.0.0
            vars:
              - id: in
                value: a.txt
              - id: out
                value: b.txt
            actions:
              - type: execute
                service: nosuchservice
                inputs:
                  - id: input_file
                    var: missing
                outputs:
                  - id: output_file
                    var: out
            """);
        var (code, _, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(2), "run", wf,
            "--services", "examples/chained-copies/services.yaml", "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, code);
        Assert.Contains("unknown service 'nosuchservice'", stderr);
        Assert.Contains("input variable 'missing' has no value", stderr);
        Assert.Contains("Output variable 'out'", stderr);
        Assert.DoesNotContain("   at ", stderr);
        var (_, status, _) = await SteepCli.RunAsync(TimeSpan.FromMinutes(1), "status", "--data", Path.Combine(dir, "data"));
        Assert.DoesNotContain("ACCEPTED", status);
    }

    [Fact]
    public async Task Yaml_syntax_error_names_file_line_and_column()
    {
        var dir = SteepCli.TempDirectory("syntax");
        var wf = Path.Combine(dir, "broken.yaml");
        await File.WriteAllTextAsync(wf, "api: 4.0.0\nvars:\n  - id: a\n   value: [1, 2\nactions: []\n");
        var (code, _, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(2), "run", wf, "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, code);
        Assert.Contains("broken.yaml", stderr);
        Assert.Matches(@"line \d+, column \d+", stderr);
        Assert.DoesNotContain("   at ", stderr);
    }

    [Fact]
    public async Task Failing_service_ends_the_submission_with_error_and_exit_code_1()
    {
        var dir = SteepCli.TempDirectory("failing");
        SteepCli.WriteScript(dir, "fail.sh", "echo 'something broke' >&2\nexit 3\n");
        var services = Path.Combine(dir, "services.yaml");
        await File.WriteAllTextAsync(services, """
            - id: fail
              name: Fail
              description: Always fails
              path: ./fail.sh
              runtime: other
              parameters:
                - id: o
                  name: Output
                  description: Output
                  type: output
                  cardinality: 1..1
            """);
        var wf = Path.Combine(dir, "wf.yaml");
        await File.WriteAllTextAsync(wf, "api: 4.0.0\nvars:\n  - id: o\nactions:\n  - type: execute\n    service: fail\n    outputs:\n      - id: o\n        var: o\n");
        var (code, stdout, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(2), "run", wf, "--services", services, "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, code);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("ERROR", doc.RootElement.GetProperty("status").GetString());
        var message = doc.RootElement.GetProperty("errorMessage").GetString()!;
        Assert.Contains("exit code 3", message);
        Assert.Contains("something broke", message);
    }

    /// <summary>The split-and-join example built from macros: nested includes, a default input, run with --macros.</summary>
    [Fact]
    public async Task A_workflow_with_macros_runs_with_macros_option()
    {
        var data = SteepCli.TempDirectory("macros");
        var (code, stdout, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(3), "run", "examples/macros/workflow.yaml",
            "--services", "examples/split-join/services.yaml", "--macros", "examples/macros/macros.yaml", "--data", data);
        Assert.True(code == 0, $"exit {code}: {stderr}");
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("SUCCESS", doc.RootElement.GetProperty("status").GetString());
        var joined = doc.RootElement.GetProperty("results").GetProperty("result")[0].GetString()!;
        var input = await File.ReadAllTextAsync(Path.Combine(SteepCli.RepositoryRoot, "examples/split-join/example.txt"));
        Assert.Equal(input + input, await File.ReadAllTextAsync(joined));
    }

    [Fact]
    public async Task Include_problems_are_reported_before_anything_runs_and_expand_prints_yaml()
    {
        var dir = SteepCli.TempDirectory("macro-problems");
        var wf = Path.Combine(dir, "wf.yaml");
        await File.WriteAllTextAsync(wf, "api: 4.7.0\nactions:\n  - {id: x, type: include, macro: copy_and_join, inputs: [{id: nope, value: 1}]}\n");
        var (code, _, stderr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(2), "run", wf, "--services", "examples/split-join/services.yaml",
            "--macros", "examples/macros/macros.yaml", "--data", Path.Combine(dir, "data"));
        Assert.Equal(1, code);
        Assert.Contains("missing input parameter 'input'", stderr);
        Assert.Contains("missing output parameter 'joined'", stderr);
        Assert.Contains("unknown input parameter 'nope'", stderr);
        Assert.DoesNotContain("   at ", stderr);

        var (expandCode, yaml, expandErr) = await SteepCli.RunAsync(TimeSpan.FromMinutes(1), "expand", "examples/macros/workflow.yaml",
            "--macros", "examples/macros/macros.yaml");
        Assert.True(expandCode == 0, expandErr);
        Assert.Contains("id: $twice$copy_and_join$join", yaml);
        Assert.DoesNotContain("type: include", yaml);
    }
}
