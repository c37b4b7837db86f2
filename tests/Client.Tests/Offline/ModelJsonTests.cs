using System.Text.Json;
using System.Text.Json.Nodes;
using Steep.Client.Internal;
using Steep.Client.Models;

namespace Steep.Client.Tests.Offline;

/// <summary>The client's models read and write Steep's JSON field names (examples from Steep's documentation).</summary>
public sealed class ModelJsonTests
{
    [Fact]
    public void A_workflow_is_written_with_Steeps_names_and_action_types()
    {
        var workflow = new Workflow
        {
            Api = "4.0.0",
            Vars = [new Variable { Id = "in", Value = "/data/input.txt" }, new Variable { Id = "items", Value = new JsonArray(1, 2) }, new Variable { Id = "out" }],
            Actions =
            [
                new ExecuteAction
                {
                    Service = "cp",
                    Inputs = [new InputParameter { Id = "input_file", Var = "in" }],
                    Outputs = [new OutputParameter { Id = "output_file", Var = "out", Store = true }],
                    Retries = new RetryPolicy { MaxAttempts = 3, Delay = 1000 },
                },
                new ForEachAction
                {
                    Input = "items", Enumerator = "i", YieldToInput = "o", DependsOn = ["a"],
                    Actions = [new ExecuteAction { Service = "sleep", Parameters = [new InputParameter { Id = "seconds", Value = 0 }] }],
                },
            ],
        };
        var json = JsonSerializer.Serialize(workflow, ClientJson.Options);
        var node = JsonNode.Parse(json)!;
        Assert.Equal("4.0.0", (string?)node["api"]);
        Assert.False(node.AsObject().ContainsKey("name")); // nulls left out
        Assert.Null(node["vars"]![2]!["value"]);
        Assert.Equal(2, node["vars"]![1]!["value"]!.AsArray().Count);
        var execute = node["actions"]![0]!.AsObject();
        Assert.Equal("type", execute.First().Key); // the discriminator comes first
        Assert.Equal("execute", (string?)execute["type"]);
        Assert.Equal("in", (string?)execute["inputs"]![0]!["var"]);
        Assert.True((bool)execute["outputs"]![0]!["store"]!);
        Assert.Equal(3, (int)execute["retries"]!["maxAttempts"]!);
        var loop = node["actions"]![1]!;
        Assert.Equal("for", (string?)loop["type"]);
        Assert.Equal("o", (string?)loop["yieldToInput"]);
        Assert.Equal("a", (string?)loop["dependsOn"]![0]);
        Assert.Equal(0, (int)loop["actions"]![0]!["parameters"]![0]!["value"]!);

        var back = JsonSerializer.Deserialize<Workflow>(json, ClientJson.Options)!;
        Assert.IsType<ExecuteAction>(back.Actions[0]);
        Assert.Equal("sleep", Assert.IsType<ExecuteAction>(Assert.IsType<ForEachAction>(back.Actions[1]).Actions[0]).Service);
    }

    [Fact]
    public void The_documented_submission_example_is_read()
    {
        const string json = """
            {
              "id": "aiq7eios7ubxglkcqx5a",
              "workflow": {
                "api": "4.0.0",
                "vars": [{"id": "myInputFile", "value": "/data/input.txt"}, {"id": "myOutputFile"}],
                "actions": [{
                  "service": "cp",
                  "type": "execute",
                  "inputs": [{"id": "input_file", "var": "myInputFile"}],
                  "outputs": [{"id": "output_file", "var": "myOutputFile", "store": true}],
                  "parameters": []
                }]
              },
              "startTime": "2020-02-13T15:38:58.719382Z",
              "endTime": "2020-02-13T15:39:00.807715Z",
              "status": "SUCCESS",
              "runningProcessChains": 0,
              "cancelledProcessChains": 0,
              "succeededProcessChains": 1,
              "failedProcessChains": 0,
              "totalProcessChains": 1,
              "results": {"myOutputFile": ["/data/out/aiq7eios7ubxglkcqx5a/aiq7hygs7ubxglkcrf5a"]}
            }
            """;
        var s = JsonSerializer.Deserialize<Submission>(json, ClientJson.Options)!;
        Assert.Equal("aiq7eios7ubxglkcqx5a", s.Id);
        Assert.True(s.IsFinal);
        Assert.Equal(new DateTimeOffset(2020, 2, 13, 15, 39, 0, 807, TimeSpan.Zero).AddTicks(7150), s.EndTime);
        Assert.Equal("/data/out/aiq7eios7ubxglkcqx5a/aiq7hygs7ubxglkcrf5a", s.Results!["myOutputFile"][0]);
        var action = Assert.IsType<ExecuteAction>(Assert.Single(s.Workflow!.Actions)); // "type" after other fields
        Assert.Equal("myOutputFile", action.Outputs[0].Var);
    }

    [Fact]
    public void The_documented_process_chain_example_is_read()
    {
        const string json = """
            {
              "id": "akpm646jjigral4cdyyq", "submissionId": "akpm6yojjigral4cdxgq",
              "startTime": "2020-05-18T08:44:19.221456Z", "endTime": "2020-05-18T08:44:19.446437Z",
              "status": "SUCCESS", "requiredCapabilities": ["nodejs"],
              "executables": [{
                "id": "Count Down", "path": "./countdown.js", "runtime": "other",
                "arguments": [
                  {"id": "input", "type": "input", "dataType": "file", "variable": {"id": "input_file", "value": "input.txt"}},
                  {"id": "output", "type": "output", "dataType": "fileOrEmptyList", "variable": {"id": "output_file", "value": "output.txt"}}
                ],
                "runtimeArgs": []
              }],
              "results": {"output_file": ["output.txt"]}
            }
            """;
        var c = JsonSerializer.Deserialize<ProcessChain>(json, ClientJson.Options)!;
        Assert.Equal("nodejs", Assert.Single(c.RequiredCapabilities));
        var exe = Assert.Single(c.Executables);
        Assert.Equal("fileOrEmptyList", exe.Arguments[1].DataType);
        Assert.Equal("output.txt", exe.Arguments[1].Variable.Value);
        Assert.True(c.IsFinal);
    }

    [Fact]
    public void Statuses_know_which_are_final()
    {
        Assert.Equal(["CANCELLED", "SUCCESS", "PARTIAL_SUCCESS", "ERROR"], SubmissionStatus.All.Where(SubmissionStatus.IsFinal).ToArray());
        Assert.Equal(["CANCELLED", "SUCCESS", "ERROR"], ProcessChainStatus.All.Where(ProcessChainStatus.IsFinal).ToArray());
        Assert.False(SubmissionStatus.IsFinal(null));
    }
}
