using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>How an action's inputs and parameters become an executable's arguments (the command line).</summary>
public sealed class ArgumentTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void GenericParametersBecomeArgumentsInTheServicesOrder(bool reload)
    {
        var h = new GeneratorHarness("""
            api: 4.0.0
            vars:
              - {id: dem, value: dem.tif}
              - {id: res, value: 10}
              - {id: out}
            actions:
              - id: resample
                type: execute
                service: resample
                parameters:
                  - {id: resolution, var: res}
                inputs:
                  - {id: input, var: dem}
                outputs:
                  - {id: output, var: out}
            """, reload);
        var chain = Assert.Single(h.Step());
        var exe = Assert.Single(chain.Executables);

        Assert.Equal(["input", "resolution", "output"], exe.Arguments.Select(a => a.Id));
        var resolution = exe.Argument("resolution");
        Assert.Equal(ArgumentTypes.Argument, resolution.Type);
        Assert.Equal("--resolution", resolution.Label);
        Assert.Equal(new ArgumentVariable("res", "10"), resolution.Variable);
        Assert.Equal("dem.tif", exe.Argument("input").Variable.Value);
        h.AssertFinishesAfter(GeneratorHarness.ResultsOf(chain));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AMissingBooleanWithADefaultGetsTheDefaultAndAGivenOneItsValue(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
              - {id: o1}
              - {id: o2}
            actions:
              - id: quiet
                type: execute
                service: flagged
                inputs:
                  - {id: input, var: in}
                outputs:
                  - {id: output, var: o1}
              - id: loud
                type: execute
                service: flagged
                inputs:
                  - {id: verbose, value: true}
                  - {id: input, var: in}
                outputs:
                  - {id: output, var: o2}
            """, reload);
        var chains = h.Step();
        Assert.Equal(2, chains.Count);

        var quiet = chains.Executable("quiet");
        Assert.Equal(["verbose", "input", "output"], quiet.Arguments.Select(a => a.Id));
        var flag = quiet.Argument("verbose");
        Assert.Equal(("false", "-v", DataTypes.Boolean), (flag.Variable.Value, flag.Label, flag.DataType));
        Assert.Equal("true", chains.Executable("loud").Argument("verbose").Variable.Value);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AListIsPassedOnceForEachItemToAOneToManyParameter(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - id: files
                value: [a.txt, b.txt, c.txt]
              - {id: joined}
            actions:
              - id: join
                type: execute
                service: join
                inputs:
                  - {id: i, var: files}
                outputs:
                  - {id: o, var: joined}
            """, reload);
        var exe = h.Step().Executable("join");

        Assert.Equal(["i", "i", "i", "o"], exe.Arguments.Select(a => a.Id));
        Assert.Equal(["a.txt", "b.txt", "c.txt"], exe.Values("i"));
        Assert.All(exe.Arguments.Take(3), a => Assert.Equal("files", a.Variable.Id));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnonymousInputValuesNeedNoVariable(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: o1}
              - {id: o2}
            actions:
              - id: copy
                type: execute
                service: cp
                inputs:
                  - {id: input_file, value: 5}
                outputs:
                  - {id: output_file, var: o1}
              - id: join
                type: execute
                service: join
                inputs:
                  - {id: i, value: [x.txt, y.txt]}
                outputs:
                  - {id: o, var: o2}
            """, reload);
        var chains = h.Step();

        var input = chains.Executable("copy").Argument("input_file");
        Assert.Equal("5", input.Variable.Value);
        Assert.False(string.IsNullOrEmpty(input.Variable.Id));
        Assert.NotEqual("o1", input.Variable.Id);
        Assert.Equal(["x.txt", "y.txt"], chains.Executable("join").Values("i"));
        h.AssertFinishesAfter(GeneratorHarness.Results(("o1", ["c.txt"]), ("o2", ["j.txt"])));
    }

    [Fact]
    public void AMissingMandatoryParameterFailsNamingItsCardinality()
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: o}
            actions:
              - id: copy
                type: execute
                service: cp
                outputs:
                  - {id: output_file, var: o}
            """);
        var e = Assert.Throws<GeneratorException>(() => h.Step());
        Assert.Contains("cardinality", e.Message);
        Assert.Contains("input_file", e.Message);
        Assert.Contains("1..1", e.Message);
    }

    [Fact]
    public void AnUnknownServiceFailsNamingIt()
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
            actions:
              - id: copy
                type: execute
                service: noSuchService
                inputs:
                  - {id: input_file, var: in}
            """);
        var e = Assert.Throws<GeneratorException>(() => h.Step());
        Assert.Contains("noSuchService", e.Message);
    }

    [Fact]
    public void NumbersReachTheCommandLineAsWritten()
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: res, value: 3.0}
              - {id: big, value: 1e3}
              - {id: o1}
              - {id: o2}
            actions:
              - id: a
                type: execute
                service: resample
                inputs:
                  - {id: input, var: big}
                  - {id: resolution, var: res}
                outputs:
                  - {id: output, var: o1}
            """);
        var exe = h.Step().Executable("a");
        Assert.Equal("3.0", exe.Argument("resolution").Variable.Value);
        Assert.Equal("1e3", exe.Argument("input").Variable.Value);
    }
}
