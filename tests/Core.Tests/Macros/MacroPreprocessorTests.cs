using Steep.Core.Macros;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Support;
using Steep.Core.Validation;
using static Steep.Core.Tests.Macros.MacroFixtures;

namespace Steep.Core.Tests.Macros;

/// <summary>Expansion of include actions as Steep's MacroPreprocessor does it.</summary>
public sealed class MacroPreprocessorTests
{
    private const string TwoIncludes = """
        vars:
          - {id: in, value: a.txt}
        actions:
          - {id: inc1, type: include, macro: copy_twice, inputs: [{id: i, var: in}], outputs: [{id: o, var: out1}]}
          - {id: inc2, type: include, macro: copy_twice, inputs: [{id: i, var: out1}], outputs: [{id: o, var: out2}]}
        """;

    [Fact]
    public void AWorkflowWithoutIncludesIsReturnedAsItIs()
    {
        var wf = Workflow("actions: [{id: a, type: execute, service: cp, inputs: [{id: input_file, value: x}], outputs: [{id: output_file, var: o}]}]");
        Assert.Same(wf, MacroPreprocessor.Expand(wf, KnownMacros()));
    }

    [Fact]
    public void ParametersAreBoundAndInternalNamesRenamedPerInclude()
    {
        var wf = MacroPreprocessor.Expand(Workflow(TwoIncludes), KnownMacros());
        Assert.True(wf.MacrosExpanded);
        Assert.Equal(["$inc1$copy_twice$first", "$inc1$copy_twice$second", "$inc2$copy_twice$first", "$inc2$copy_twice$second"],
            wf.Actions.Select(a => a.Id));
        var first = Exec(wf, "$inc1$copy_twice$first");
        Assert.Equal("in", first.Inputs[0].Var);
        Assert.Equal("$inc1$copy_twice$tmp", first.Outputs[0].Var);
        Assert.Equal("out1", Exec(wf, "$inc1$copy_twice$second").Outputs[0].Var);
        Assert.Equal("out1", Exec(wf, "$inc2$copy_twice$first").Inputs[0].Var);
        Assert.Equal("$inc2$copy_twice$tmp", Exec(wf, "$inc2$copy_twice$first").Outputs[0].Var);
        // the macro's declared variables are renamed and declared in the workflow
        Assert.Contains(wf.Vars, v => v.Id == "$inc1$copy_twice$tmp");
        Assert.Contains(wf.Vars, v => v.Id == "$inc2$copy_twice$tmp");
    }

    [Fact]
    public void AMissingInputGetsTheDefaultInAVariableOfItsOwnAndAGivenOneWins()
    {
        var wf = MacroPreprocessor.Expand(Workflow("""
            actions:
              - {id: d, type: include, macro: with_default, outputs: [{id: o, var: x}]}
              - {id: g, type: include, macro: with_default, inputs: [{id: i, value: given.txt}], outputs: [{id: o, var: y}]}
            """), KnownMacros());
        var withDefault = Exec(wf, "$d$with_default$cp");
        Assert.Equal("$d$with_default$i$default", withDefault.Inputs[0].Var);
        Assert.Equal("default.txt", wf.Vars.Single(v => v.Id == "$d$with_default$i$default").Value!.GetValue<string>());
        var given = Exec(wf, "$g$with_default$cp");
        Assert.Equal("input_file", given.Inputs[0].Id);
        Assert.Null(given.Inputs[0].Var);
        Assert.Equal("given.txt", given.Inputs[0].Value!.GetValue<string>());
    }

    [Fact]
    public void NestedIncludesAreExpandedWithTheOuterIdInTheirNames()
    {
        var wf = MacroPreprocessor.Expand(Workflow("""
            vars: [{id: in, value: a.txt}]
            actions:
              - {id: top, type: include, macro: nested, inputs: [{id: i, var: in}], outputs: [{id: o, var: out}]}
            """), KnownMacros());
        Assert.Equal(["$top$nested$inner$copy_twice$first", "$top$nested$inner$copy_twice$second", "$top$nested$last"], wf.Actions.Select(a => a.Id));
        Assert.Equal("in", Exec(wf, "$top$nested$inner$copy_twice$first").Inputs[0].Var);
        Assert.Equal("$top$nested$middle", Exec(wf, "$top$nested$inner$copy_twice$second").Outputs[0].Var);
        Assert.Equal("out", Exec(wf, "$top$nested$last").Outputs[0].Var);
    }

    [Fact]
    public void AForEachInsideAMacroGetsItsVariablesRenamedAndItsInputBound()
    {
        var wf = MacroPreprocessor.Expand(Workflow("""
            vars: [{id: list, value: [a, b]}]
            actions:
              - {id: e, type: include, macro: each, inputs: [{id: files, var: list}], outputs: [{id: copies, var: all}]}
            """), KnownMacros());
        var loop = Assert.IsType<ForEachAction>(Assert.Single(wf.Actions));
        Assert.Equal("$e$each$loop", loop.Id);
        Assert.Equal("list", loop.Input);
        Assert.Equal("$e$each$f", loop.Enumerator);
        Assert.Equal("all", loop.Output);
        Assert.Equal("$e$each$c", loop.YieldToOutput);
        var cp = Assert.IsType<ExecuteAction>(Assert.Single(loop.Actions));
        Assert.Equal("$e$each$f", cp.Inputs[0].Var);
        Assert.Equal("$e$each$c", cp.Outputs[0].Var);
    }

    [Fact]
    public void ALiteralValueForAForEachInputBecomesADeclaredVariable()
    {
        var wf = MacroPreprocessor.Expand(Workflow("""
            actions:
              - {id: e, type: include, macro: each, inputs: [{id: files, value: [a, b]}], outputs: [{id: copies, var: all}]}
            """), KnownMacros());
        var loop = Assert.IsType<ForEachAction>(Assert.Single(wf.Actions));
        Assert.Equal(2, wf.Vars.Single(v => v.Id == loop.Input).Value!.AsArray().Count);
    }

    [Fact]
    public void DependsOnAnIncludeBecomesDependsOnEveryActionItExpandedTo()
    {
        var wf = MacroPreprocessor.Expand(Workflow(TwoIncludes + """

              - {id: after, type: execute, service: cp, dependsOn: inc1, inputs: [{id: input_file, value: x}], outputs: [{id: output_file, var: z}]}
            """), KnownMacros());
        Assert.Equal(["$inc1$copy_twice$first", "$inc1$copy_twice$second"], Exec(wf, "after").DependsOn);
    }

    [Fact]
    public void TheDependsOnOfAnIncludeIsPassedToTheMacrosTopLevelActions()
    {
        var wf = MacroPreprocessor.Expand(Workflow("""
            vars: [{id: in, value: a.txt}]
            actions:
              - {id: before, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: b}]}
              - {id: inc, type: include, macro: copy_twice, dependsOn: before, inputs: [{id: i, var: in}], outputs: [{id: o, var: out}]}
            """), KnownMacros());
        Assert.Equal(["before"], Exec(wf, "$inc$copy_twice$first").DependsOn);
        Assert.Equal(["before"], Exec(wf, "$inc$copy_twice$second").DependsOn);
    }

    [Fact]
    public void AnUnknownMacroAMissingParameterAndACycleAreClearErrors()
    {
        var unknown = Assert.Throws<MacroException>(() => MacroPreprocessor.Expand(Workflow(
            "actions: [{id: x, type: include, macro: nope, inputs: [], outputs: []}]"), KnownMacros()));
        Assert.Contains("'nope'", unknown.Message);

        var input = Assert.Throws<MacroException>(() => MacroPreprocessor.Expand(Workflow(
            "actions: [{id: x, type: include, macro: copy_twice, outputs: [{id: o, var: out}]}]"), KnownMacros()));
        Assert.Contains("Missing input parameter 'i'", input.Message);

        var output = Assert.Throws<MacroException>(() => MacroPreprocessor.Expand(Workflow(
            "actions: [{id: x, type: include, macro: copy_twice, inputs: [{id: i, value: a}]}]"), KnownMacros()));
        Assert.Contains("Missing output parameter 'o'", output.Message);

        var cyclic = KnownMacros("""
            - {id: a, actions: [{id: x, type: include, macro: b}]}
            - {id: b, actions: [{id: y, type: include, macro: a}]}
            """);
        var cycle = Assert.Throws<MacroException>(() => MacroPreprocessor.Expand(Workflow(
            "actions: [{id: top, type: include, macro: a}]"), cyclic));
        Assert.Contains("a -> b -> a", cycle.Message);
    }

    [Fact]
    public void TheExpandedWorkflowRunsAsOneChain()
    {
        var wf = WorkflowValidator.ExpandValid(Workflow(TwoIncludes), KnownMacros());
        var services = ModelReader.ReadServices(TestServices.Yaml, "services.yaml");
        Assert.Empty(WorkflowValidator.Validate(wf, services));
        var generator = new Steep.Core.Generator.ProcessChainGenerator(wf, services, new Steep.Core.Generator.GeneratorOptions("/tmp/", "/out/"));
        var chain = Assert.Single(generator.Generate());
        Assert.Equal(4, chain.Executables.Count);
    }

    [Fact]
    public void ExpandValidRejectsAWorkflowWhoseIncludesAreWrongBeforeExpanding()
    {
        var e = Assert.Throws<WorkflowRejectedException>(() => WorkflowValidator.ExpandValid(Workflow(
            "actions: [{id: x, type: include, macro: copy_twice, inputs: [{id: i, value: a}, {id: j, value: b}]}]"), KnownMacros()));
        Assert.Contains(e.Problems, p => p.Contains("missing output parameter 'o'"));
        Assert.Contains(e.Problems, p => p.Contains("unknown input parameter 'j'"));
    }

    [Fact]
    public void TheExpandedWorkflowReadsBackFromItsYaml()
    {
        var wf = MacroPreprocessor.Expand(Workflow(TwoIncludes), KnownMacros());
        var yaml = YamlWriter.Write(wf);
        var back = ModelReader.ReadWorkflow(yaml, "expanded.yaml");
        Assert.Equal(wf.Actions.Select(a => a.Id), back.Actions.Select(a => a.Id));
        Assert.Equal("a.txt", back.Vars.Single(v => v.Id == "in").Value!.GetValue<string>());
        Assert.Contains("type: execute", yaml);
    }

    [Fact]
    public void AThousandIncludesExpandQuickly()
    {
        var sb = new System.Text.StringBuilder("vars: [{id: v0, value: a.txt}]\nactions:\n");
        for (int i = 0; i < 1000; i++)
            sb.Append($"  - {{id: inc{i}, type: include, macro: copy_twice, inputs: [{{id: i, var: v{i}}}], outputs: [{{id: o, var: v{i + 1}}}]}}\n");
        var wf = Workflow(sb.ToString());
        var macros = KnownMacros();
        MacroPreprocessor.Expand(wf, macros);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var expanded = MacroPreprocessor.Expand(wf, macros);
        sw.Stop();
        Assert.Equal(2000, expanded.Actions.Count);
        Assert.True(sw.ElapsedMilliseconds < 1000, $"expansion took {sw.ElapsedMilliseconds} ms"); // generous: CI machines are shared
    }
}
