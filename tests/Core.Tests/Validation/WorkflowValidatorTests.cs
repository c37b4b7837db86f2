using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Support;
using Steep.Core.Validation;

namespace Steep.Core.Tests.Validation;

/// <summary>Every kind of problem the validator reports, each in one message naming what is wrong.</summary>
public sealed class WorkflowValidatorTests
{
    private static readonly IReadOnlyList<Service> Services = ModelReader.ReadServices(TestServices.Yaml, "services.yaml");

    private static IReadOnlyList<string> Validate(string yaml, bool withServices = true) =>
        WorkflowValidator.Validate(ModelReader.ReadWorkflow(yaml, "wf.yaml"), withServices ? (IReadOnlyCollection<Service>)Services : null);

    /// <summary>Asserts exactly one problem, mentioning all <paramref name="parts"/>.</summary>
    private static void AssertSingleProblem(string yaml, params string[] parts)
    {
        var problem = Assert.Single(Validate(yaml));
        foreach (var p in parts) Assert.Contains(p, problem);
    }

    private const string Valid = """
        api: 4.0.0
        vars:
          - {id: in, value: a.txt}
          - {id: out}
        actions:
          - {id: copy, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: out}]}
        """;

    [Fact]
    public void AValidWorkflowHasNoProblems()
    {
        Assert.Empty(Validate(Valid));
        Assert.Empty(Validate(Valid, withServices: false));
    }

    [Theory]
    [InlineData("4.0.0", true)]
    [InlineData("4.4.0", true)]
    [InlineData("3.0.0", true)]
    [InlineData("5.0.0", false)]
    [InlineData("2.0.0", false)]
    [InlineData("latest", false)]
    public void OnlyWorkflowApi3And4AreSupported(string api, bool supported)
    {
        var problems = Validate(Valid.Replace("4.0.0", api));
        if (supported) Assert.Empty(problems);
        else Assert.Contains($"Unsupported workflow API version '{api}'", Assert.Single(problems));
    }

    /// <summary>Steep 6.9 declares variables implicitly: an input is only a problem when nothing ever gives it a value.</summary>
    [Fact]
    public void AnInputWithoutValueThatNoActionProducesIsNamed() =>
        AssertSingleProblem(Valid.Replace("var: in}", "var: missing}"), "input variable 'missing' has no value", "copy");

    [Fact]
    public void DuplicateIdentifiersAreReportedOncePerId()
    {
        var yaml = Valid.Replace("- {id: out}", "- {id: out}\n  - {id: copy}") + """

              - {id: copy, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: out}]}
            """;
        var problems = Validate(yaml);
        var duplicate = Assert.Single(problems, p => p.StartsWith("Duplicate identifier", StringComparison.Ordinal));
        Assert.Contains("'copy'", duplicate);
    }

    [Fact]
    public void AnOutputVariableWithAValueIsReported() =>
        AssertSingleProblem(Valid.Replace("{id: out}", "{id: out, value: x.txt}"), "Output variable 'out'", "copy", "has a value");

    [Fact]
    public void DependsOnAMissingActionIsReported() =>
        AssertSingleProblem(Valid.Replace("service: cp,", "service: cp, dependsOn: [ghost],"), "dependsOn", "'ghost'");

    [Fact]
    public void AnUnknownServiceIsNamedWhenServicesAreGiven()
    {
        var yaml = Valid.Replace("service: cp", "service: copyTool");
        Assert.Contains("unknown service 'copyTool'", Assert.Single(Validate(yaml)));
        Assert.Empty(Validate(yaml, withServices: false));
    }

    [Fact]
    public void AnUnknownParameterIsNamed() =>
        AssertSingleProblem(Valid.Replace("inputs: [{id: input_file, var: in}]", "inputs: [{id: input_file, var: in}, {id: bogus, value: 1}]"),
            "no parameter 'bogus'", "input_file");

    [Fact]
    public void AnOutputGivenAsInputIsReported() =>
        AssertSingleProblem(Valid.Replace("inputs: [{id: input_file, var: in}]", "inputs: [{id: input_file, var: in}, {id: output_file, var: in}]"),
            "'output_file' is an output parameter");

    [Fact]
    public void AMissingMandatoryParameterWithoutDefaultIsReported() =>
        AssertSingleProblem(Valid.Replace("inputs: [{id: input_file, var: in}], ", ""), "mandatory parameter 'input_file'", "1..1");

    [Fact]
    public void AMissingMandatoryParameterWithADefaultIsFine() =>
        Assert.Empty(Validate("""
            vars:
              - {id: in, value: a.txt}
              - {id: out}
            actions:
              - {id: tool, type: execute, service: flagged, inputs: [{id: input, var: in}], outputs: [{id: output, var: out}]}
            """));

    private static string OneAction(string service, string param, string value) => $$"""
        vars:
          - {id: in, value: {{value}}}
          - {id: out}
        actions:
          - {id: a, type: execute, service: {{service}}, inputs: [{id: {{param}}, var: in}], outputs: [{id: {{(service == "cp" ? "output_file" : "o")}}, var: out}]}
        """;

    [Theory]
    [InlineData("cp", "input_file", "[a.txt, b.txt]", "gets 2 values", "1..1")]
    [InlineData("cp", "input_file", "[[a.txt], [b.txt, c.txt]]", "gets 3 values", "1..1")]
    [InlineData("join", "i", "[]", "gets 0 values", "1..n")]
    public void CardinalityVisibleBeforeRunningIsReported(string service, string param, string value, string what, string cardinality)
    {
        var problem = Assert.Single(Validate(OneAction(service, param, value)));
        Assert.Contains(what, problem);
        Assert.Contains(cardinality, problem);
    }

    [Fact]
    public void NestedListsCountAsTheFlatListTheGeneratorPasses()
    {
        var yaml = OneAction("cp", "input_file", "[[a.txt], []]");
        Assert.Empty(Validate(yaml));
        Assert.Equal(["a.txt"], new GeneratorHarness(yaml).Step().Executable("a").Values("input_file"));
    }

    [Fact]
    public void AnEnumeratorUsedAsAnOutputIsReported()
    {
        var problems = Validate("""
            vars:
              - id: files
                value: [a.txt]
              - {id: f}
              - {id: c}
            actions:
              - type: for
                input: files
                enumerator: f
                actions:
                  - {id: copy, type: execute, service: cp, inputs: [{id: input_file, var: f}], outputs: [{id: output_file, var: c}]}
              - {id: clobber, type: execute, service: cp, inputs: [{id: input_file, var: files}], outputs: [{id: output_file, var: f}]}
            """);
        var problem = Assert.Single(problems);
        Assert.Contains("enumerator 'f'", problem);
        Assert.Contains("clobber", problem);
    }

    [Fact]
    public void AllProblemsAreReportedAtOnce()
    {
        var yaml = """
            api: 9.0.0
            vars:
              - {id: in, value: a.txt}
              - {id: out, value: already.txt}
            actions:
              - {id: copy, type: execute, service: cp, inputs: [{id: input_file, var: nowhere}], outputs: [{id: output_file, var: out}]}
            """;
        var problems = Validate(yaml, withServices: false);
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("Unsupported workflow API version '9.0.0'"));
        Assert.Contains(problems, p => p.Contains("input variable 'nowhere' has no value"));
        Assert.Contains(problems, p => p.Contains("Output variable 'out'"));
        Assert.All(problems, p => Assert.DoesNotContain('\n', p));
    }

    /// <summary>
    /// A declared list reaches a directory input as it is: the generator merges only result files to their directory.
    /// The validator must count it the way the generator will pass it.
    /// </summary>
    [Fact]
    public void ADeclaredListForADirectoryInputCountsOncePerItemAsTheGeneratorPassesIt()
    {
        var yaml = """
            vars:
              - id: files
                value: [/data/x/1.txt, /data/x/2.txt]
              - {id: out}
            actions:
              - {id: merge, type: execute, service: joinFromDir, inputs: [{id: i, var: files}], outputs: [{id: o, var: out}]}
            """;
        var generator = new GeneratorHarness(yaml);
        Assert.Contains("cardinality", Assert.Throws<GeneratorException>(() => generator.Step()).Message);
        var problem = Assert.Single(Validate(yaml));
        Assert.Contains("gets 2 values", problem);
    }

    /// <summary>The generator fills in a default only for a parameter that must appear exactly once (1..1).</summary>
    [Fact]
    public void AMissingOneToManyParameterIsReportedEvenWithADefault()
    {
        const string services = """
            - id: many
              name: many
              path: many
              parameters:
                - {id: level, type: input, cardinality: 1..n, default: 3}
                - {id: output, type: output, cardinality: 1..1}
            """;
        var yaml = """
            vars:
              - {id: out}
            actions:
              - {id: m, type: execute, service: many, outputs: [{id: output, var: out}]}
            """;
        var generator = new GeneratorHarness(yaml, servicesYaml: services);
        Assert.Contains("cardinality", Assert.Throws<GeneratorException>(() => generator.Step()).Message);
        var problems = WorkflowValidator.Validate(ModelReader.ReadWorkflow(yaml, "wf.yaml"), ModelReader.ReadServices(services, "s.yaml"));
        Assert.Contains("mandatory parameter 'level'", Assert.Single(problems));
    }
}
