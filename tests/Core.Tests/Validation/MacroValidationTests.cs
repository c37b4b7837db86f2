using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Macros;
using Steep.Core.Validation;

namespace Steep.Core.Tests.Validation;

/// <summary>The rules of a macro definition (<c>steep validate FILE --macro</c>).</summary>
public sealed class MacroValidationTests
{
    private static IReadOnlyList<string> Validate(string yaml, string? others = null)
    {
        var macro = Assert.Single(ModelReader.ReadMacros(yaml, "macro.yaml"));
        var known = others is null ? new Dictionary<string, Macro>() : MacroFixtures.KnownMacros(others);
        return WorkflowValidator.ValidateMacro(macro, known);
    }

    private const string Head = """
        id: m
        parameters:
          - {id: i, type: input}
          - {id: o, type: output}

        """;

    [Fact]
    public void AValidMacroHasNoProblems() =>
        Assert.Empty(Validate(Head + "actions: [{id: cp, type: execute, service: cp, inputs: [{id: input_file, var: i}], outputs: [{id: output_file, var: o}]}]"));

    [Fact]
    public void ParameterIdsAreUnique() =>
        Assert.Contains(Validate("""
            id: m
            parameters: [{id: i, type: input}, {id: i, type: input}]
            actions: []
            """), p => p.Contains("Duplicate parameter 'i'"));

    [Fact]
    public void ParametersAreNotDeclaredAgainAsVariables() =>
        Assert.Contains(Validate(Head + "vars: [{id: o}]\nactions: []"), p => p.Contains("'o' is already declared as a parameter"));

    [Fact]
    public void AnOutputParameterHasNoDefault() =>
        Assert.Contains(Validate("id: m\nparameters: [{id: o, type: output, default: 5}]\nactions: []"), p => p.Contains("Output parameter 'o'") && p.Contains("default"));

    [Fact]
    public void AnInputParameterUsedWithAnInlineValueIsReported() =>
        Assert.Contains(Validate(Head + "actions: [{id: cp, type: execute, service: cp, inputs: [{id: input_file, var: {id: i, value: 5}}], outputs: [{id: output_file, var: o}]}]"),
            p => p.Contains("'i' has a value"));

    [Fact]
    public void InputsAreOnlyReadOutputsOnlyWrittenAndNeitherIsAnEnumerator()
    {
        var problems = Validate(Head + """
            vars: [{id: list, value: [a]}]
            actions:
              - {id: w, type: execute, service: cp, inputs: [{id: input_file, var: o}], outputs: [{id: output_file, var: i}]}
              - {id: f, type: for, input: list, enumerator: i, actions: []}
            """);
        Assert.Contains(problems, p => p.Contains("input parameter 'i'") && p.Contains("used as an output"));
        Assert.Contains(problems, p => p.Contains("output parameter 'o'") && p.Contains("used as an input"));
        Assert.Contains(problems, p => p.Contains("parameter 'i'") && p.Contains("enumerator"));
    }

    [Fact]
    public void TheWorkflowRulesApplyToTheMacrosActions() =>
        Assert.Contains(Validate(Head + """
            actions:
              - {id: a, type: execute, service: cp, inputs: [{id: input_file, var: i}], outputs: [{id: output_file, var: x}]}
              - {id: b, type: execute, service: cp, inputs: [{id: input_file, var: i}], outputs: [{id: output_file, var: x}]}
            """), p => p.Contains("'x' is used more than once"));

    [Fact]
    public void IncludeCyclesAmongTheMacrosGivenAreReportedEvenWhereThisMacroIsNotPartOfThem()
    {
        var problems = Validate("id: third\nactions: [{id: x, type: include, macro: missing}]", """
            - {id: a, actions: [{id: x, type: include, macro: b}]}
            - {id: b, actions: [{id: y, type: include, macro: a}]}
            """);
        Assert.Contains(problems, p => p.Contains("cycle") && p.Contains("'a'") && p.Contains("'b'"));
        Assert.Contains(problems, p => p.Contains("macro 'missing' not found"));
    }
}
