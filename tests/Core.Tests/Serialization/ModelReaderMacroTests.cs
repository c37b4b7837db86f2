using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Core.Tests.Serialization;

/// <summary>Reading macros, include actions and variables defined where they are used.</summary>
public sealed class ModelReaderMacroTests
{
    [Fact]
    public void AFileHoldsOneMacroOrAList()
    {
        Assert.Equal("m", Assert.Single(ModelReader.ReadMacros("id: m\nactions: []", "one.yaml")).Id);
        Assert.Equal(["a", "b"], ModelReader.ReadMacros("- {id: a}\n- {id: b}", "list.yaml").Select(m => m.Id));
        Assert.Empty(ModelReader.ReadMacros("[]", "none.yaml"));
    }

    [Fact]
    public void AMacroReadsItsParametersWithTypesAndDefaults()
    {
        var m = Assert.Single(ModelReader.ReadMacros("""
            id: m
            name: My macro
            parameters:
              - {id: i, type: input, default: 5}
              - {id: o, type: output}
            actions:
              - {id: inc, type: include, macro: other, inputs: [{id: x, value: 1}], outputs: [{id: y, var: z}]}
            """, "m.yaml"));
        Assert.Equal(ArgumentTypes.Input, m.Parameters[0].Type);
        Assert.Equal("5", m.Parameters[0].Default!.ToJsonString());
        Assert.Equal(ArgumentTypes.Output, m.Parameters[1].Type);
        var inc = Assert.IsType<IncludeAction>(Assert.Single(m.Actions));
        Assert.Equal("other", inc.Macro);
        Assert.Equal("z", Assert.Single(inc.Outputs).Var);
    }

    [Fact]
    public void AVariableDefinedWhereItIsUsedIsDeclaredInVars()
    {
        var wf = ModelReader.ReadWorkflow("""
            actions:
              - {id: a, type: execute, service: cp, inputs: [{id: input_file, var: {id: in, value: a.txt}}], outputs: [{id: output_file, var: {id: out}}]}
              - {id: f, type: for, input: {id: list, value: [1, 2]}, enumerator: {id: e}, actions: []}
            """, "wf.yaml");
        Assert.Equal("in", ((ExecuteAction)wf.Actions[0]).Inputs[0].Var);
        Assert.Equal("list", ((ForEachAction)wf.Actions[1]).Input);
        Assert.Equal(["in", "out", "list", "e"], wf.Vars.Select(v => v.Id));
        Assert.Equal("a.txt", wf.Vars[0].Value!.GetValue<string>());
    }

    [Fact]
    public void AnUnknownActionTypeNamesTheThreeKnownOnes()
    {
        var e = Assert.Throws<ModelFormatException>(() => ModelReader.ReadWorkflow("actions: [{type: macro}]", "wf.yaml"));
        // the structural check answers before binding: it names the field and the three action types
        Assert.Contains("actions[0].type", e.Message);
        Assert.Contains("execute, for or include", e.Message);
    }
}
