using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>For-each actions beyond the shared cases: empty inputs, nested collection order, long recursive loops.</summary>
public sealed class ForEachTests
{
    private static readonly string EmptyForEach = CopyForEach.Yaml([]);

    /// <summary>
    /// Steep's semantics: a for-each over an empty list runs nothing and its output variable never gets a value (not
    /// even an empty list). Without a reader of that output the workflow simply finishes.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AForEachOverAnEmptyListRunsNothingAndItsOutputGetsNoValue(bool reload)
    {
        var h = new GeneratorHarness(EmptyForEach, reload);
        Assert.Empty(h.Step());
        Assert.False(h.Generator.Values.ContainsKey("copies"));
        h.AssertFinishesAfter();
        Assert.False(h.Generator.Values.ContainsKey("copies"));
    }

    /// <summary>
    /// The consequence a user sees: an action reading the output of an empty for-each never becomes ready, so the
    /// generator produces nothing more and never reports the workflow finished.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AReaderOfAnEmptyForEachsOutputNeverRuns(bool reload)
    {
        var h = new GeneratorHarness(CopyForEach.Yaml([], join: true), reload);
        for (int i = 0; i < 3; i++)
        {
            Assert.Empty(h.Step());
            Assert.False(h.Finished);
            Assert.False(h.Generator.IsFinished);
        }
        Assert.False(h.Generator.Values.ContainsKey("copies"));
    }

    private const string NestedForEach = """
        vars:
          - id: groups
            value: [[a1, a2], [b1, b2, b3]]
          - {id: group}
          - {id: file}
          - {id: copy}
          - {id: groupCopies}
          - {id: allCopies}
          - {id: joined}
        actions:
          - type: for
            input: groups
            enumerator: group
            output: allCopies
            yieldToOutput: groupCopies
            actions:
              - type: for
                input: group
                enumerator: file
                output: groupCopies
                yieldToOutput: copy
                actions:
                  - {id: cp, type: execute, service: cp, inputs: [{id: input_file, var: file}], outputs: [{id: output_file, var: copy}]}
          - {id: join, type: execute, service: join, inputs: [{id: i, var: allCopies}], outputs: [{id: o, var: joined}]}
        """;

    /// <summary>The output variable of each copy, by the file it copies.</summary>
    private static Dictionary<string, string> CopyOutputs(IReadOnlyList<Models.ProcessChain> chains) =>
        chains.Select(c => c.Executables.Single())
            .ToDictionary(e => e.Argument("input_file").Variable.Value, e => e.Argument("output_file").Variable.Id);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NestedYieldsArrivingTogetherAreCollectedIntoTheOuterOutputInIterationOrder(bool reload)
    {
        var h = new GeneratorHarness(NestedForEach, reload);
        var chains = h.Step();
        Assert.Equal(5, chains.Count);
        var copies = CopyOutputs(chains);

        // the results of one step, listed in an order unrelated to the iterations
        var results = new[] { "b3", "a2", "b1", "a1", "b2" }
            .ToDictionary(f => copies[f], f => (IReadOnlyList<string>)[f + ".copy"]);
        var join = Assert.Single(h.Step(results));
        Assert.Equal(["a1.copy", "a2.copy", "b1.copy", "b2.copy", "b3.copy"], join.Executables.Single().Values("i"));
        h.AssertFinishesAfter(GeneratorHarness.ResultsOf(join));
    }

    /// <summary>
    /// Steep 5's semantics: a for-each output grows as yielded values arrive (that is what lets yieldToInput loops
    /// continue while other iterations still run), so values arriving in different steps are collected in arrival
    /// order, at both levels: an inner output joins the outer one when it is complete.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void NestedYieldsArrivingOneByOneAreCollectedInArrivalOrder(bool reload)
    {
        var h = new GeneratorHarness(NestedForEach, reload);
        var copies = CopyOutputs(h.Step());

        foreach (var file in new[] { "b3", "b1", "b2", "a2" })
        {
            Assert.Empty(h.Step(GeneratorHarness.Results((copies[file], [file + ".copy"]))));
        }
        var join = Assert.Single(h.Step(GeneratorHarness.Results((copies["a1"], ["a1.copy"]))));
        Assert.Equal(["b3.copy", "b1.copy", "b2.copy", "a2.copy", "a1.copy"], join.Executables.Single().Values("i"));
        h.AssertFinishesAfter(GeneratorHarness.ResultsOf(join));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AYieldToInputLoopRunsUntilAnIterationYieldsNothing(bool reload)
    {
        const int iterations = 50;
        var h = new GeneratorHarness("""
            vars:
              - id: counter
                value: 50
              - {id: n}
              - {id: next}
            actions:
              - type: for
                input: counter
                enumerator: n
                yieldToInput: next
                actions:
                  - {id: countdown, type: execute, service: cp, inputs: [{id: input_file, var: n}], outputs: [{id: output_file, var: next}]}
            """, reload);
        var chain = Assert.Single(h.Step());
        var seen = new HashSet<string>();
        for (int remaining = iterations; remaining >= 1; remaining--)
        {
            var exe = chain.Executables.Single();
            Assert.Equal(remaining.ToString(), exe.Argument("input_file").Variable.Value);
            var output = exe.Argument("output_file").Variable.Id;
            Assert.True(seen.Add(output), $"iteration {remaining} reuses output variable {output}");
            Assert.False(h.Generator.IsFinished);

            // each iteration yields the next number; the last yields nothing
            IReadOnlyList<string> next = remaining > 1 ? [(remaining - 1).ToString()] : [];
            var chains = h.Step(new Dictionary<string, IReadOnlyList<string>> { [output] = next });
            if (remaining > 1) chain = Assert.Single(chains);
            else Assert.Empty(chains);
        }
        Assert.Equal(iterations, seen.Count);
        Assert.Empty(h.Step());
        Assert.True(h.Finished);
    }
}
