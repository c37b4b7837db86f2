using Steep.Core.Models;
using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>Where generated outputs go (tmp or out path, prefix, suffix) and how a directory input is found.</summary>
public sealed class OutputLocationTests
{
    private static string Output(IEnumerable<ProcessChain> chains, string action) =>
        chains.Executable(action).Arguments.Single(a => a.Type == ArgumentTypes.Output).Variable.Value;

    /// <summary>The generated part of a name: what follows <paramref name="stem"/>; asserts it is there.</summary>
    private static string Generated(string value, string stem, string suffix = "")
    {
        Assert.StartsWith(stem, value);
        Assert.EndsWith(suffix, value);
        var name = value[stem.Length..^suffix.Length];
        Assert.NotEmpty(name);
        Assert.DoesNotContain("/", name);
        return name;
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void StoreAndPrefixDecideWhereAnOutputGoes(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
              - {id: temp}
              - {id: stored}
              - {id: storedAbs}
              - {id: storedRel}
              - {id: tempRel}
            actions:
              - {id: t, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: temp}]}
              - {id: s, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: stored, store: true}]}
              - {id: sa, type: execute, service: cp, inputs: [{id: input_file, var: in}],
                 outputs: [{id: output_file, var: storedAbs, store: true, prefix: /data/results/}]}
              - {id: sr, type: execute, service: cp, inputs: [{id: input_file, var: in}],
                 outputs: [{id: output_file, var: storedRel, store: true, prefix: run1/}]}
              - {id: tr, type: execute, service: cp, inputs: [{id: input_file, var: in}],
                 outputs: [{id: output_file, var: tempRel, prefix: run2/part-}]}
            """, reload);
        var chains = h.Step();

        var names = new[]
        {
            Generated(Output(chains, "t"), "/tmp/"),
            Generated(Output(chains, "s"), "/out/"),
            // an absolute prefix replaces the base path, stored or not
            Generated(Output(chains, "sa"), "/data/results/"),
            // a relative prefix goes between the base path and the generated name; it is a string prefix, not a directory
            Generated(Output(chains, "sr"), "/out/run1/"),
            Generated(Output(chains, "tr"), "/tmp/run2/part-"),
        };
        Assert.Equal(names.Length, names.Distinct().Count());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AFileSuffixEndsTheGeneratedName(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.png}
              - {id: t}
              - {id: s}
            actions:
              - {id: temp, type: execute, service: suffixed, inputs: [{id: input, var: in}], outputs: [{id: output, var: t}]}
              - {id: kept, type: execute, service: suffixed, inputs: [{id: input, var: in}], outputs: [{id: output, var: s, store: true, prefix: img/}]}
            """, reload);
        var chains = h.Step();
        Generated(Output(chains, "temp"), "/tmp/", ".tif");
        Generated(Output(chains, "kept"), "/out/img/", ".tif");
    }

    [Theory]
    [InlineData("/data/out/a/1.txt|/data/out/b/sub/2.txt", "/data/out")]
    [InlineData("/data/run1/a.txt|/data/run10/b.txt", "/data")]
    [InlineData("/data/x/1.txt|/data/x/2.txt|/data/x/3.txt", "/data/x")]
    public void ADirectoryInputFedWithFilesGetsTheirCommonParentDirectory(string files, string directory)
    {
        // the directory is consumed by two actions, so the producer ends its chain and its files come back as results
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: big.txt}
              - {id: dir}
              - {id: merged}
              - {id: joined}
            actions:
              - {id: split, type: execute, service: splitToDir, inputs: [{id: i, var: in}], outputs: [{id: o, var: dir}]}
              - {id: fromDir, type: execute, service: joinFromDir, inputs: [{id: i, var: dir}], outputs: [{id: o, var: merged}]}
              - {id: fromFiles, type: execute, service: join, inputs: [{id: i, var: dir}], outputs: [{id: o, var: joined}]}
            """);
        var first = Assert.Single(h.Step());
        Assert.Equal(["split"], first.Executables.Select(e => e.Id));
        Assert.Equal(DataTypes.Directory, first.Executables[0].Argument("o").DataType);

        var list = files.Split('|');
        var chains = h.Step(GeneratorHarness.Results(("dir", list)));
        Assert.Equal(2, chains.Count);
        Assert.Equal([directory], chains.Executable("fromDir").Values("i"));
        // the same files given to a plain 1..n input are passed one by one
        Assert.Equal(list, chains.Executable("fromFiles").Values("i"));
    }

    /// <summary>
    /// Steep 5's semantics, surprising but deliberate here: a result list of one file is stored as that file, and only
    /// lists are merged to their directory, so a directory holding a single file reaches a directory input as the file.
    /// </summary>
    [Fact]
    public void ADirectoryHoldingOneFileReachesADirectoryInputAsThatFile()
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: big.txt}
              - {id: dir}
              - {id: merged}
              - {id: joined}
            actions:
              - {id: split, type: execute, service: splitToDir, inputs: [{id: i, var: in}], outputs: [{id: o, var: dir}]}
              - {id: fromDir, type: execute, service: joinFromDir, inputs: [{id: i, var: dir}], outputs: [{id: o, var: merged}]}
              - {id: fromFiles, type: execute, service: join, inputs: [{id: i, var: dir}], outputs: [{id: o, var: joined}]}
            """);
        Assert.Single(h.Step());
        var chains = h.Step(GeneratorHarness.Results(("dir", ["/data/out/only.txt"])));
        Assert.Equal(["/data/out/only.txt"], chains.Executable("fromDir").Values("i"));
    }
}
