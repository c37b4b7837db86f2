namespace Steep.Core.Tests.Conformance;

/// <summary>
/// The port of check.py judges what check.py judges: its Python value semantics and a few matching rules,
/// so that a passing conformance run means the same in process as on the command line.
/// </summary>
public sealed class CheckPortTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(1.5, "1.5")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(0.0, "0.0")]
    [InlineData(0.1, "0.1")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(1e15, "1000000000000000.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(123456.789, "123456.789")]
    public void FloatsPrintAsPythonPrintsThem(double value, string text) => Assert.Equal(text, Py.FloatRepr(value));

    [Fact]
    public void YamlScalarsResolveAsPyYamlResolvesThem()
    {
        var d = (PyDict)PyYamlLoader.LoadText("""
            a: yes
            b: 1e3
            c: 3.0
            d: 010
            e: 0x1f
            f: '5'
            g: 1:30
            h: ~
            i: 7
            """)!;
        Assert.Equal(true, d["a"]);
        Assert.Equal("1e3", d["b"]);
        Assert.Equal(3.0, d["c"]);
        Assert.Equal(8L, d["d"]);
        Assert.Equal(31L, d["e"]);
        Assert.Equal("5", d["f"]);
        Assert.Equal(90L, d["g"]);
        Assert.Null(d["h"]);
        Assert.Equal(7L, d["i"]);
    }

    [Fact]
    public void NormalisationsFollowCheckPy()
    {
        Assert.Equal("true", CheckRules.NormStr(true));
        Assert.Equal("5.0", CheckRules.NormStr(5.0));
        Assert.Equal("5", CheckRules.NormStr(5L));
        Assert.Equal("/tmp/a", CheckRules.NormPath("/tmp//a/"));
        Assert.Equal("/", CheckRules.NormPath("/"));
        Assert.Equal(10000.0, CheckRules.DurationMs("10s"));
        Assert.Equal(60000.0, CheckRules.DurationMs("PT1M"));
        Assert.Equal(1000.0, CheckRules.DurationMs(1000L));
        Assert.Equal("soon", CheckRules.DurationMs(" soon "));
        Assert.Equal("/tmp/", CheckRules.Stem("/tmp/12"));
        Assert.True(Py.Eq(1L, 1.0));
    }

    private const string ExpectedStep = """
        - id: c1
          executables:
            - id: cp1
              serviceId: cp
              path: cp
              arguments:
                - {id: input_file, type: input, dataType: string, variable: {id: in, value: a.txt}}
                - {id: output_file, type: output, dataType: string, variable: {id: out1, value: /tmp/0}}
        - id: c2
          executables:
            - id: cp2
              serviceId: cp
              path: cp
              arguments:
                - {id: input_file, type: input, dataType: string, variable: {id: in, value: b.txt}}
                - {id: output_file, type: output, dataType: string, variable: {id: out2, value: /tmp/1}}
        """;

    private static List<object?> Chains(string yaml) => (List<object?>)PyYamlLoader.LoadText(yaml)!;

    [Fact]
    public void ChainsMatchInAnyOrderAndGeneratedNamesAreLearned()
    {
        var actual = Chains(ExpectedStep.Replace("/tmp/0", "/tmp/xa").Replace("/tmp/1", "/tmp/xb").Replace("out1", "g1").Replace("out2", "g2"));
        actual.Reverse();
        var ren = ChainMatcher.MatchChains(Chains(ExpectedStep), actual, new Renaming(false), "step 0");
        Assert.Equal("g1", ren.Fwd(Renaming.Var)["out1"]);
        Assert.Equal("/tmp/xb", ren.Fwd(Renaming.Value)["/tmp/1"]);
        Assert.Equal("/tmp/xa/f.txt", ren.TranslateValue("/tmp/0/f.txt"));
    }

    [Fact]
    public void AGeneratedOutputMustKeepItsStem()
    {
        var actual = Chains(ExpectedStep.Replace("/tmp/0", "/out/xa"));
        Assert.Throws<Mismatch>(() => ChainMatcher.MatchChains(Chains(ExpectedStep), actual, new Renaming(false), "step 0"));
        // the single chain alone names the rule
        var e = Assert.Throws<Mismatch>(() => ChainMatcher.MatchChains(Chains(ExpectedStep)[..1], actual[..1], new Renaming(false), "step 0"));
        Assert.Contains("does not have the form '/tmp/'", e.Message);
    }

    [Fact]
    public void AnOutputVariableMustKeepTheIdItGotEarlier()
    {
        var ren = ChainMatcher.MatchChains(Chains(ExpectedStep), Chains(ExpectedStep.Replace("out1", "g1")), new Renaming(false), "step 0");
        const string next = """
            - executables:
                - id: cp3
                  serviceId: cp
                  path: cp
                  arguments:
                    - {id: input_file, variable: {id: out1, value: /tmp/0}}
                    - {id: output_file, type: output, variable: {id: out3, value: /tmp/2}}
            """;
        var wrong = next.Replace("id: out1", "id: g9");
        var e = Assert.Throws<Mismatch>(() => ChainMatcher.MatchChains(Chains(next), Chains(wrong), ren, "step 1"));
        Assert.Contains("the id this output variable got earlier", e.Message);
        ChainMatcher.MatchChains(Chains(next), Chains(next.Replace("id: out1", "id: g1")), ren, "step 1");
    }

    [Fact]
    public void TwoExpectedOutputsCannotShareOneGeneratedName()
    {
        var actual = Chains(ExpectedStep.Replace("/tmp/1", "/tmp/0"));
        Assert.Throws<Mismatch>(() => ChainMatcher.MatchChains(Chains(ExpectedStep), actual, new Renaming(false), "step 0"));
    }
}
