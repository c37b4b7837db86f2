using System.Text.Json;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Serialization;

/// <summary>Reading workflows from YAML and JSON, the messages of unreadable documents, and the JSON Steep's clients see.</summary>
public sealed class ModelReaderTests
{
    private const string WorkflowYaml = """
        api: 4.0.0
        name: all the shapes
        priority: 5
        vars:
          - id: text
            value: input.txt
          - id: number
            value: 3.0
          - id: flag
            value: true
          - id: nested
            value: [[a, b], [c]]
          - id: out
          - id: each
          - id: collected
        actions:
          - id: first
            type: execute
            service: cp
            inputs:
              - {id: input_file, var: text}
              - {id: extra, value: 7}
            parameters:
              - {id: p, var: number}
            outputs:
              - {id: output_file, var: out, prefix: a/, store: true}
            retries: {maxAttempts: 3, delay: 10s, maxDelay: PT1M}
          - type: for
            input: nested
            enumerator: each
            output: collected
            yieldToOutput: out
            dependsOn: [first]
            actions:
              - {type: execute, service: join, inputs: [{id: i, var: each}]}
        """;

    private const string WorkflowJson = """
        {
          "api": "4.0.0",
          "name": "all the shapes",
          "priority": 5,
          "vars": [
            {"id": "text", "value": "input.txt"},
            {"id": "number", "value": 3.0},
            {"id": "flag", "value": true},
            {"id": "nested", "value": [["a", "b"], ["c"]]},
            {"id": "out"},
            {"id": "each"},
            {"id": "collected"}
          ],
          "actions": [
            {
              "id": "first", "type": "execute", "service": "cp",
              "inputs": [{"id": "input_file", "var": "text"}, {"id": "extra", "value": 7}],
              "parameters": [{"id": "p", "var": "number"}],
              "outputs": [{"id": "output_file", "var": "out", "prefix": "a/", "store": true}],
              "retries": {"maxAttempts": 3, "delay": "10s", "maxDelay": "PT1M"}
            },
            {
              "type": "for", "input": "nested", "enumerator": "each", "output": "collected",
              "yieldToOutput": "out", "dependsOn": ["first"],
              "actions": [{"type": "execute", "service": "join", "inputs": [{"id": "i", "var": "each"}]}]
            }
          ]
        }
        """;

    private static string Canonical(Workflow w) => JsonSerializer.Serialize(w, SteepJson.Options);

    [Fact]
    public void YamlAndJsonOfTheSameWorkflowReadToEqualModels()
    {
        var fromYaml = ModelReader.ReadWorkflow(WorkflowYaml, "wf.yaml");
        var fromJson = ModelReader.ReadWorkflow(WorkflowJson, "wf.json");
        Assert.Equal(Canonical(fromJson), Canonical(fromYaml));

        // and the model holds what was written
        Assert.Equal(5, fromYaml.Priority);
        var first = Assert.IsType<ExecuteAction>(fromYaml.Actions[0]);
        Assert.Equal((3, 10_000L, (long?)60_000L), (first.Retries!.MaxAttempts, first.Retries.Delay, first.Retries.MaxDelay));
        Assert.True(first.Outputs[0].Store);
        var each = Assert.IsType<ForEachAction>(fromYaml.Actions[1]);
        Assert.Equal(["first"], each.DependsOn);
        Assert.Null(each.Id);
        Assert.Equal("3.0", fromYaml.Vars[1].Value!.ToJsonString());
    }

    [Fact]
    public void AYamlSyntaxErrorNamesTheFileLineAndColumn()
    {
        const string yaml = "api: 4.0.0\nvars:\n  - id: a\n    value: [1, 2\nactions: []\n";
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(yaml, "broken.yaml"));
        Assert.Matches(@"^broken\.yaml: line \d+, column \d+: YAML syntax error", e.Message);
        // the unclosed flow sequence is noticed where the next key begins (YamlDotNet failed here without a position once)
        Assert.Contains("line 5, column 1", e.Message);
    }

    [Fact]
    public void AYamlErrorOnTheFirstLinesIsCountedFromOne()
    {
        const string yaml = "api: 4.0.0\nvars: a: b\n";
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(yaml, "wf.yml"));
        Assert.Contains("wf.yml: line 2, column 8", e.Message);
    }

    [Theory]
    [InlineData("", 3)]
    [InlineData("\n\n", 5)]
    [InlineData("   ", 3)]
    public void AJsonSyntaxErrorNamesTheFileLineAndColumn(string leading, int line)
    {
        var json = leading + "{\n  \"api\": \"4.0.0\",\n  \"vars\": [,]\n}";
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(json, "broken.json"));
        Assert.StartsWith($"broken.json: line {line}, column 12: JSON syntax error", e.Message);
    }

    [Fact]
    public void AnUnknownActionTypeIsNamed()
    {
        const string yaml = """
            api: 4.0.0
            vars: []
            actions:
              - type: execute
                service: cp
              - type: loop
                id: l
            """;
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(yaml, "wf.yaml"));
        Assert.Contains("wf.yaml", e.Message);
        Assert.Contains("'loop'", e.Message);
        Assert.Contains("actions[1]", e.Message);
    }

    [Fact]
    public void NumbersKeepTheirTextFromJsonToo()
    {
        var wf = ModelReader.ReadWorkflow(WorkflowJson, "wf.json");
        Assert.Equal("3.0", ValueText.Of(wf.Vars[1].Value!));
        Assert.Equal("true", ValueText.Of(wf.Vars[2].Value!));
    }

    [Fact]
    public void AProcessChainIsWrittenWithSteepsFieldNames()
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
              - {id: out}
            actions:
              - {id: gpu, type: execute, service: dockerGpuTool, retries: {maxAttempts: 2, delay: 1s},
                 inputs: [{id: input, var: in}], outputs: [{id: output, var: out}]}
            """);
        var chain = Assert.Single(h.Step());
        using var doc = JsonDocument.Parse(JsonSerializer.Serialize(chain, SteepJson.Options));
        var root = doc.RootElement;

        Assert.Equal(["docker", "gpu"], root.GetProperty("requiredCapabilities").EnumerateArray().Select(x => x.GetString()!).Order());
        var exe = root.GetProperty("executables")[0];
        Assert.Equal("dockerGpuTool", exe.GetProperty("serviceId").GetString());
        Assert.Equal("img:1", exe.GetProperty("path").GetString());
        Assert.Equal("docker", exe.GetProperty("runtime").GetString());
        var runtimeArg = exe.GetProperty("runtimeArgs")[0];
        Assert.Equal("--gpus", runtimeArg.GetProperty("label").GetString());
        Assert.Equal("all", runtimeArg.GetProperty("variable").GetProperty("value").GetString());
        var arg = exe.GetProperty("arguments")[1];
        Assert.Equal("output", arg.GetProperty("id").GetString());
        Assert.Equal("output", arg.GetProperty("type").GetString());
        Assert.Equal("string", arg.GetProperty("dataType").GetString());
        Assert.Equal("out", arg.GetProperty("variable").GetProperty("id").GetString());
        var retries = exe.GetProperty("retries");
        Assert.Equal(2, retries.GetProperty("maxAttempts").GetInt32());
        Assert.Equal(1000, retries.GetProperty("delay").GetInt64());

        // nothing in .NET or snake case leaks out, and unset fields are left out
        var text = root.GetRawText();
        foreach (var wrong in new[] { "\"RequiredCapabilities\"", "\"data_type\"", "\"runtime_args\"", "\"service_id\"", "\"ServiceId\"", "null" })
            Assert.DoesNotContain(wrong, text);
    }

    [Fact]
    public void ServiceMetadataReadsTheSameFromYamlAndJson()
    {
        var fromYaml = ModelReader.ReadServices(TestServices.Yaml, "services.yaml");
        var json = JsonSerializer.Serialize(fromYaml, SteepJson.Options);
        var fromJson = ModelReader.ReadServices(json, "services.json");
        Assert.Equal(json, JsonSerializer.Serialize(fromJson, SteepJson.Options));
        Assert.Contains("\"data_type\":\"directory\"", json);
        Assert.Contains("\"required_capabilities\":[\"gpu\",\"cuda\"]", json);
    }

    [Fact]
    public void ServiceMetadataInSteep6sCamelCaseReadsLikeSteep5sSnakeCase()
    {
        const string snake = """
            - id: cp
              name: Copy
              description: Copies
              path: cp
              runtime: other
              required_capabilities: [gpu]
              runtime_args:
                - {id: a, name: A, description: a, data_type: string, value: x}
              parameters:
                - {id: i, name: I, description: i, type: input, cardinality: 1..1, data_type: directory, file_suffix: /}
            """;
        var camel = snake.Replace("required_capabilities", "requiredCapabilities").Replace("runtime_args", "runtimeArgs")
            .Replace("data_type", "dataType").Replace("file_suffix", "fileSuffix");
        var fromSnake = ModelReader.ReadServices(snake, "steep5.yaml");
        var fromCamel = ModelReader.ReadServices(camel, "steep6.yaml");
        Assert.Equal(JsonSerializer.Serialize(fromSnake, SteepJson.Options), JsonSerializer.Serialize(fromCamel, SteepJson.Options));
        Assert.Equal(["gpu"], fromCamel[0].RequiredCapabilities);
        Assert.Equal("directory", fromCamel[0].Parameters[0].DataType);
        Assert.Equal("/", fromCamel[0].Parameters[0].FileSuffix);
        Assert.Equal("string", fromCamel[0].RuntimeArgs[0].DataType);
    }
}
