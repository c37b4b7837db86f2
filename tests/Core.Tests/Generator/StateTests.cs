using System.Text.Json;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>A saved state continues exactly where it was saved, as often as it is loaded.</summary>
public sealed class StateTests
{
    private const string Workflow = """
        vars:
          - id: files
            value: [a.txt, b.txt, c.txt]
          - {id: f}
          - {id: c}
          - {id: copies}
          - {id: joined}
          - {id: stored}
        actions:
          - type: for
            input: files
            enumerator: f
            output: copies
            yieldToOutput: c
            actions:
              - {id: cp, type: execute, service: flaky, inputs: [{id: input, var: f}], outputs: [{id: output, var: c, prefix: parts/}]}
          - {id: join, type: execute, service: join, inputs: [{id: i, var: copies}], outputs: [{id: o, var: joined}]}
          - {id: keep, type: execute, service: suffixed, inputs: [{id: input, var: joined}], outputs: [{id: output, var: stored, store: true}]}
        """;

    private static string Json(IReadOnlyList<ProcessChain> chains) => JsonSerializer.Serialize(chains, SteepJson.Options);

    [Fact]
    public void AStateSavedMidRunAndLoadedTwiceGivesTheSameChains()
    {
        var h = new GeneratorHarness(Workflow);
        var copies = h.Step();
        Assert.Equal(3, copies.Count);
        // two of three copies are done: the for-each output is half collected when the state is saved
        var partial = GeneratorHarness.ResultsOf(copies[0]).Concat(GeneratorHarness.ResultsOf(copies[2]))
            .ToDictionary(p => p.Key, p => p.Value);
        Assert.Empty(h.Step(partial));

        var state = h.Generator.SaveState();
        var services = ModelReader.ReadServices(TestServices.Yaml, "services.yaml");
        var one = ProcessChainGenerator.Load(state, services);
        var two = ProcessChainGenerator.Load(state, services);
        AssertSameState(state, one.SaveState());

        var last = GeneratorHarness.ResultsOf(copies[1]);
        var original = h.Generator.Generate(last);
        var fromOne = one.Generate(last);
        var fromTwo = two.Generate(last);
        var join = Assert.Single(original);
        Assert.Equal(["join", "keep"], join.Executables.Select(e => e.Id));
        Assert.Equal(Json(original), Json(fromOne));
        Assert.Equal(Json(original), Json(fromTwo));
        AssertSameState(h.Generator.SaveState(), one.SaveState());
        AssertSameState(one.SaveState(), two.SaveState());

        // the loaded generators keep the paths, prefixes, suffixes and retry policies of the original
        var keep = join.Executables[1];
        Assert.StartsWith("/out/", keep.Argument("output").Variable.Value);
        Assert.EndsWith(".tif", keep.Argument("output").Variable.Value);
        Assert.All(copies, c => Assert.StartsWith("/tmp/parts/", c.Executables[0].Argument("output").Variable.Value));
        Assert.Equal(3, copies[0].Executables[0].Retries?.MaxAttempts);
    }

    [Fact]
    public void AStateThatIsNotAGeneratorStateIsRejected()
    {
        var services = ModelReader.ReadServices(TestServices.Yaml, "services.yaml");
        Assert.Throws<GeneratorException>(() => ProcessChainGenerator.Load("{\"version\": 99}"u8.ToArray(), services));
        Assert.Throws<GeneratorException>(() => ProcessChainGenerator.Load("not json"u8.ToArray(), services));
        Assert.Throws<GeneratorException>(() => ProcessChainGenerator.Load("{}"u8.ToArray(), services));
    }

    // the same state, whatever order the saved maps list their entries in
    private static void AssertSameState(byte[] expected, byte[] actual) =>
        Assert.True(System.Text.Json.Nodes.JsonNode.DeepEquals(System.Text.Json.Nodes.JsonNode.Parse(expected), System.Text.Json.Nodes.JsonNode.Parse(actual)),
            $"states differ:\n{System.Text.Encoding.UTF8.GetString(expected)}\n{System.Text.Encoding.UTF8.GetString(actual)}");
}
