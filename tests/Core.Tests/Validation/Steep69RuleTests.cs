using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Macros;
using Steep.Core.Tests.Support;
using Steep.Core.Validation;

namespace Steep.Core.Tests.Validation;

/// <summary>The validation rules Steep 6.9 adds, one test per rule, each problem in one line naming what to fix.</summary>
public sealed class Steep69RuleTests
{
    private static IReadOnlyList<string> Validate(string yaml, IReadOnlyDictionary<string, Macro>? macros = null, bool services = false) =>
        WorkflowValidator.Validate(ModelReader.ReadWorkflow(yaml, "wf.yaml"),
            services ? ModelReader.ReadServices(TestServices.Yaml, "services.yaml") : null, macros ?? MacroFixtures.KnownMacros());

    private static string Single(string yaml, IReadOnlyDictionary<string, Macro>? macros = null)
    {
        var problem = Assert.Single(Validate(yaml, macros));
        Assert.DoesNotContain('\n', problem);
        return problem;
    }

    private static string Cp(string id, string input, string output, string extra = "") =>
        $"  - {{id: {id}, type: execute, service: cp{extra}, inputs: [{{id: input_file, var: {input}}}], outputs: [{{id: output_file, var: {output}}}]}}\n";

    [Fact]
    public void VariablesNeedNoDeclaration() =>
        Assert.Empty(Validate("vars: [{id: in, value: a}]\nactions:\n" + Cp("a", "in", "x") + Cp("b", "x", "y")));

    [Fact]
    public void IdsStartingWithADollarAreReserved()
    {
        var problems = Validate("vars: [{id: $in, value: a}]\nactions:\n" + Cp("a", "$in", "$out"));
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("illegal variable id '$in'") && p.Contains("reserved"));
        Assert.Contains(problems, p => p.Contains("illegal variable id '$out'"));
    }

    [Fact]
    public void DuplicateIdsAreFoundAcrossVariablesExecuteForEachAndIncludeActions()
    {
        var problems = Validate("""
            vars: [{id: in, value: a}, {id: list, value: [a]}]
            actions:
              - {id: in, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: o1}]}
              - {id: x, type: for, input: list, enumerator: e, actions: []}
              - {id: x, type: include, macro: copy_twice, inputs: [{id: i, var: in}], outputs: [{id: o, var: o2}]}
            """);
        Assert.Contains(problems, p => p.StartsWith("Duplicate identifier 'in'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.StartsWith("Duplicate identifier 'x'", StringComparison.Ordinal));
    }

    [Fact]
    public void AnOutputOfAnIncludeMustNotHaveAValue() =>
        Assert.Contains("Output variable 'out'", Single("""
            vars: [{id: in, value: a}, {id: out, value: b}]
            actions:
              - {id: inc, type: include, macro: copy_twice, inputs: [{id: i, var: in}], outputs: [{id: o, var: out}]}
            """));

    [Fact]
    public void InputsWithoutValuesAreNamedForExecuteForEachAndInclude()
    {
        var problems = Validate("""
            actions:
              - {id: a, type: execute, service: cp, inputs: [{id: input_file, var: nothing1}], outputs: [{id: output_file, var: o1}]}
              - {id: f, type: for, input: nothing2, enumerator: e, actions: []}
              - {id: inc, type: include, macro: copy_twice, inputs: [{id: i, var: nothing3}], outputs: [{id: o, var: o2}]}
            """);
        Assert.Equal(3, problems.Count);
        for (int i = 1; i <= 3; i++) Assert.Contains(problems, p => p.Contains($"input variable 'nothing{i}' has no value"));
    }

    [Fact]
    public void AnOutputVariableMayBeWrittenOnlyOnce() =>
        Assert.Contains("'o' is used more than once", Single("vars: [{id: in, value: a}]\nactions:\n" + Cp("a", "in", "o") + Cp("b", "in", "o")));

    [Fact]
    public void AnEnumeratorMayBeUsedByOneForEachOnly() =>
        Assert.Contains("enumerator 'e' is used more than once", Single("""
            vars: [{id: list, value: [a]}]
            actions:
              - {id: f1, type: for, input: list, enumerator: e, actions: []}
              - {id: f2, type: for, input: list, enumerator: e, actions: []}
            """));

    [Fact]
    public void OutputsAndEnumeratorsAreOnlyVisibleInsideTheirForEach()
    {
        var problems = Validate("""
            vars: [{id: list, value: [a]}]
            actions:
              - id: f
                type: for
                input: list
                enumerator: e
                output: collected
                yieldToOutput: inner
                actions:
                  - {id: a, type: execute, service: cp, inputs: [{id: input_file, var: e}], outputs: [{id: output_file, var: inner}]}
              - {id: b, type: execute, service: cp, inputs: [{id: input_file, var: inner}], outputs: [{id: output_file, var: o1}]}
              - {id: c, type: execute, service: cp, inputs: [{id: input_file, var: e}], outputs: [{id: output_file, var: o2}]}
              - {id: d, type: execute, service: join, inputs: [{id: i, var: collected}], outputs: [{id: o, var: o3}]}
            """);
        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p.Contains("Action 'b'") && p.Contains("'inner' is not visible"));
        Assert.Contains(problems, p => p.Contains("Action 'c'") && p.Contains("'e' is not visible"));
    }

    [Fact]
    public void DependsOnMayBeASingleString()
    {
        var wf = ModelReader.ReadWorkflow("vars: [{id: in, value: a}]\nactions:\n" + Cp("a", "in", "x") + Cp("b", "in", "y", ", dependsOn: a"), "wf.yaml");
        Assert.Equal(["a"], wf.Actions[1].DependsOn);
        Assert.Empty(WorkflowValidator.Validate(wf));
    }

    [Fact]
    public void AMissingDependsOnTargetIsNamed() =>
        Assert.Contains("dependsOn refers to unknown action 'nope'", Single("vars: [{id: in, value: a}]\nactions:\n" + Cp("a", "in", "x", ", dependsOn: nope")));

    [Fact]
    public void ADependsOnCycleNamesAllItsActions()
    {
        var problem = Single("vars: [{id: in, value: a}]\nactions:\n" + Cp("a", "in", "x", ", dependsOn: c") + Cp("b", "in", "y", ", dependsOn: a") +
            Cp("c", "in", "z", ", dependsOn: b") + Cp("d", "in", "w", ", dependsOn: c"));
        Assert.Contains("cycle", problem);
        foreach (var id in new[] { "'a'", "'b'", "'c'" }) Assert.Contains(id, problem);
        // as Steep's topological sort, the actions that wait on the cycle are named too
        Assert.Contains("also waiting on it: 'd'", problem);
    }

    [Fact]
    public void ADependsOnCycleThroughAForEachIsFound()
    {
        // the sub-action waits for an action that waits for the whole for-each: the for-each can never finish
        var problem = Single("""
            vars: [{id: in, value: a}, {id: list, value: [a]}]
            actions:
              - id: f
                type: for
                input: list
                enumerator: e
                actions:
                  - {id: inner, type: execute, service: cp, dependsOn: after, inputs: [{id: input_file, var: e}], outputs: [{id: output_file, var: x}]}
              - {id: after, type: execute, service: cp, dependsOn: f, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: y}]}
            """);
        Assert.Contains("cycle", problem);
        Assert.Contains("'f'", problem);
        Assert.Contains("'inner'", problem);
        Assert.Contains("'after'", problem);
    }

    [Fact]
    public void ADependsOnCycleThroughAnIncludeIsFound()
    {
        var problem = Single("vars: [{id: in, value: a}]\nactions:\n" + Cp("a", "in", "x", ", dependsOn: inc") +
            "  - {id: inc, type: include, macro: copy_twice, dependsOn: [a], inputs: [{id: i, var: in}], outputs: [{id: o, var: y}]}\n");
        Assert.Contains("cycle", problem);
        Assert.Contains("'inc'", problem);
    }

    [Fact]
    public void AnUnknownMacroIsNamedWithTheKnownOnes() =>
        Assert.Contains("macro 'nope' not found", Single("actions: [{id: x, type: include, macro: nope, inputs: [], outputs: []}]"));

    [Fact]
    public void IncludeParametersAreGivenOnceAllRequiredOnesAndOnlyKnownOnes()
    {
        var problems = Validate("""
            vars: [{id: in, value: a}]
            actions:
              - {id: x, type: include, macro: copy_twice, inputs: [{id: i, var: in}, {id: i, var: in}, {id: extra, value: 1}], outputs: []}
            """);
        Assert.Contains(problems, p => p.Contains("parameter 'i' is specified more than once"));
        Assert.Contains(problems, p => p.Contains("missing output parameter 'o'"));
        Assert.Contains(problems, p => p.Contains("unknown input parameter 'extra'"));
        Assert.Empty(Validate("actions: [{id: x, type: include, macro: with_default, outputs: [{id: o, var: out}]}]"));
    }

    [Fact]
    public void AnIncludeCycleAmongTheMacrosAWorkflowUsesIsReported()
    {
        var macros = MacroFixtures.KnownMacros("""
            - {id: a, actions: [{id: x, type: include, macro: b}]}
            - {id: b, actions: [{id: y, type: include, macro: a}]}
            - {id: unused, actions: [{id: z, type: include, macro: unused}]}
            """);
        var problems = Validate("actions: [{id: top, type: include, macro: a}]", macros);
        var cycle = Assert.Single(problems, p => p.Contains("cycle"));
        Assert.Contains("'a'", cycle);
        Assert.Contains("'b'", cycle);
        Assert.DoesNotContain(problems, p => p.Contains("unused"));
    }

    [Fact]
    public void ServicesAreCheckedInsideIncludedMacros()
    {
        var macros = MacroFixtures.KnownMacros("""
            - id: bad
              parameters: [{id: i, type: input}]
              actions: [{id: run, type: execute, service: nosuchservice, inputs: [{id: input_file, var: i}]}]
            """);
        var problems = Validate("vars: [{id: in, value: a}]\nactions: [{id: inc, type: include, macro: bad, inputs: [{id: i, var: in}]}]", macros, services: true);
        Assert.Contains(problems, p => p.Contains("unknown service 'nosuchservice'") && p.Contains("$inc$bad$run"));
    }

    [Fact]
    public void AnExpandedWorkflowKeepsItsGeneratedDollarIds()
    {
        var wf = WorkflowValidator.ExpandValid(ModelReader.ReadWorkflow("""
            vars: [{id: in, value: a}]
            actions: [{id: inc, type: include, macro: copy_twice, inputs: [{id: i, var: in}], outputs: [{id: o, var: out}]}]
            """, "wf.yaml"), MacroFixtures.KnownMacros());
        Assert.Empty(WorkflowValidator.Validate(wf, ModelReader.ReadServices(TestServices.Yaml, "services.yaml")));
    }
}
