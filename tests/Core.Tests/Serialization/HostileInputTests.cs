using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;
using Steep.Tests.Shared;

namespace Steep.Core.Tests.Serialization;

/// <summary>
/// Every field of a workflow and of service metadata set to null, empty, the wrong type, a huge value or left out,
/// read and validated directly: rejected with a message naming the field, or accepted, but never an exception of
/// another kind (the HTTP API would answer it with a 500).
/// </summary>
public sealed class HostileInputTests
{
    private static readonly IReadOnlyList<Service> Services = ModelReader.ReadServices(HostileCases.ServicesBase, "services.json");

    public static TheoryData<string> WorkflowCaseNames() => Names(HostileCases.Workflows());

    public static TheoryData<string> ServiceCaseNames() => Names(HostileCases.Services());

    private static TheoryData<string> Names(IEnumerable<HostileCase> cases)
    {
        var data = new TheoryData<string>();
        foreach (var c in cases) data.Add(c.ToString());
        return data;
    }

    [Fact]
    public void TheBasesAreValid()
    {
        Assert.Empty(WorkflowValidator.Validate(ModelReader.ReadWorkflow(HostileCases.WorkflowBase, "wf.json"), Services));
        Assert.Single(Services);
    }

    [Theory]
    [MemberData(nameof(WorkflowCaseNames))]
    public void EveryWorkflowFieldIsCheckedBeforeBinding(string name)
    {
        var c = HostileCases.Workflows().Single(x => x.ToString() == name);
        string? problems;
        try
        {
            var workflow = ModelReader.ReadWorkflow(c.Document, "wf.json");
            var found = WorkflowValidator.Validate(workflow, Services);
            problems = found.Count == 0 ? null : string.Join("\n", found);
        }
        catch (ModelFormatException e)
        {
            problems = e.Message;
        }
        if (c.MustName is { } field)
        {
            Assert.NotNull(problems);
            Assert.Contains(field, problems);
            Assert.True(problems.Length < 20_000, $"the answer is {problems.Length} characters long");
        }
    }

    [Theory]
    [MemberData(nameof(ServiceCaseNames))]
    public void EveryServiceFieldIsCheckedBeforeBinding(string name)
    {
        var c = HostileCases.Services().Single(x => x.ToString() == name);
        IReadOnlyList<Service> services;
        try
        {
            services = ModelReader.ReadServices(c.Document, "services.json");
        }
        catch (ModelFormatException e)
        {
            if (c.MustName is { } field) Assert.Contains(field, e.Message);
            Assert.StartsWith("services.json: ", e.Message);
            return;
        }
        Assert.Null(c.MustName);
        // whatever was accepted can be used by the validator
        WorkflowValidator.Validate(ModelReader.ReadWorkflow(HostileCases.WorkflowBase, "wf.json"), services);
    }

    [Theory]
    [InlineData("api: 4.0.0\nvars:\n", "vars: is empty (null)")]
    [InlineData("api: 4.0.0\nactions:\n  -\n", "actions[0]: is empty (null)")]
    [InlineData("actions:\n  - type: for\n    input: i\n    enumerator: e\n    actions:\n", "actions[0].actions: is empty (null)")]
    [InlineData("actions:\n  - type: execute\n    service: cp\n    inputs:\n      - id: input_file\n        var:\n", "actions[0].inputs[0].var: is empty (null)")]
    [InlineData("{\"vars\": [null], \"actions\": null}", "vars[0]: is empty (null)")]
    public void TheReportedCrashesAreClearMessages(string text, string expected)
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(text, "wf.yaml"));
        Assert.Contains("wf.yaml: " + expected, e.Message);
    }

    [Fact]
    public void EveryProblemIsReportedAtOnce()
    {
        const string yaml = "vars:\n  - id:\nactions:\n  - type: execute\n    inputs: 3\n  - type: nope\n  - type: execute\n    service: s\n    dependsOn: [a, 4]\n";
        var lines = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(yaml, "wf.yaml")).Message.Split('\n');
        Assert.Equal(
        [
            "wf.yaml: vars[0].id: is empty (null); give the variable a unique id",
            "wf.yaml: actions[0].service: is missing; name the id of the service to run",
            "wf.yaml: actions[0].inputs: is a number, but it must be a list such as [{id: input_file, var: my_file}]",
            "wf.yaml: actions[1].type: 'nope' is not an action type; write execute, for or include",
            "wf.yaml: actions[2].dependsOn[1]: is a number, but it must be a string; name the id of an action that must run first",
        ], lines);
    }

    [Fact]
    public void Steep6ShapesPassTheShapeCheck()
    {
        var tree = ModelReader.ParseDocument("""
            priority: 3
            actions:
              - {type: include, macro: m, inputs: [{id: a, value: 1}], outputs: [{id: b, var: c}], priority: 2}
              - {type: execute, service: s, dependsOn: x}
              - {type: execute, service: s, dependsOn: [x, y], inputs: [{id: a, var: {id: v, value: 5}}]}
              - {type: for, input: {id: j, value: [1]}, enumerator: k, actions: []}
            """, "wf.yaml");
        Assert.Empty(WorkflowShapeCheck.Check(tree));
    }

    [Fact]
    public void ThousandsOfProblemsAreCappedToAShortAnswer()
    {
        var json = "{\"vars\": [" + string.Join(",", Enumerable.Repeat("1", 100_000)) + "]}";
        var lines = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow(json, "wf.json")).Message.Split('\n');
        Assert.Equal(101, lines.Length);
        Assert.Contains("99900 more", lines[^1]);
    }

    [Fact]
    public void AliasesRepeatingLongTextAreBounded()
    {
        // 2.4 KB that expands to 100,000 copies of a 2,000-character string: 200 million characters
        var text = "a: &a " + new string('x', 2000) + "\nb: &b [" + string.Join(",", Enumerable.Repeat("*a", 10)) + "]\n" +
                   "c: &c [" + string.Join(",", Enumerable.Repeat("*b", 10)) + "]\nd: &d [" + string.Join(",", Enumerable.Repeat("*c", 10)) + "]\n" +
                   "e: [" + string.Join(",", Enumerable.Repeat("*d", 100)) + "]\n";
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ParseDocument(text, "wf.yaml"));
        Assert.Contains("too much text", e.Message);
        Assert.Contains("steep.http.maxAliasChars", e.Message);
        // the limits are the caller's: a smaller depth is enforced for YAML and JSON alike
        var limits = new ReadLimits { MaxDepth = 3 };
        Assert.Contains("nested more than 3", Assert.Throws<ModelFormatException>(() => ModelReader.ParseDocument("a: [[[[1]]]]", "x", limits)).Message);
        Assert.Contains("depth", Assert.Throws<ModelFormatException>(() => ModelReader.ParseDocument("{\"a\": [[[[1]]]]}", "x", limits)).Message);
    }
}
