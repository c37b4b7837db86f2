using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>dependsOn: an action without data flow waits until the executables it depends on are reported executed.</summary>
public sealed class DependsOnTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AnActionWaitsForTheExecutedIdsNotForTheResults(bool reload)
    {
        var h = new GeneratorHarness("""
            vars:
              - {id: in, value: a.txt}
              - {id: produced}
              - {id: consumed}
              - {id: after}
            actions:
              - {id: produce, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: produced}]}
              - {id: consume, type: execute, service: cp, inputs: [{id: input_file, var: produced}], outputs: [{id: output_file, var: consumed}]}
              - {id: cleanup, type: execute, service: cp, dependsOn: [produce], inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: after}]}
            """, reload);
        // two successors (one by data, one by dependsOn): the producer runs alone
        var first = Assert.Single(h.Step());
        Assert.Equal(["produce"], first.Executables.Select(e => e.Id));

        // its results make the data successor ready, but not the one that depends on the executable
        var second = Assert.Single(h.Step(GeneratorHarness.ResultsOf(first)));
        Assert.Equal(["consume"], second.Executables.Select(e => e.Id));
        Assert.Empty(h.Step(GeneratorHarness.ResultsOf(second)));
        Assert.False(h.Generator.IsFinished);

        // an unrelated id changes nothing; the right one releases the action
        Assert.Empty(h.Step(executed: ["consume"]));
        var third = Assert.Single(h.Step(executed: ["produce"]));
        Assert.Equal(["cleanup"], third.Executables.Select(e => e.Id));
        Assert.Equal("a.txt", third.Executables[0].Argument("input_file").Variable.Value);
        h.AssertFinishesAfter(GeneratorHarness.ResultsOf(third));
    }

    /// <summary>
    /// Steep 6.9: cp1 has two successors, but the join is also reached through cp2 (which depends on cp1), so the chain
    /// does not fork: cp1, cp2 and the join run as one chain. Two independent successors still fork.
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ASuccessorReachedThroughAnotherJoinsTheChainInsteadOfForking(bool reload)
    {
        var h = new GeneratorHarness("""
            vars: [{id: in, value: a.txt}]
            actions:
              - {id: cp1, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: o1}]}
              - {id: cp2, type: execute, service: cp, dependsOn: cp1, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: o2}]}
              - {id: join, type: execute, service: join, dependsOn: [cp2], inputs: [{id: i, var: o1}, {id: i, var: o2}], outputs: [{id: o, var: o3}]}
            """, reload);
        var chain = Assert.Single(h.Step());
        Assert.Equal(["cp1", "cp2", "join"], chain.Executables.Select(e => e.Id));

        var fork = new GeneratorHarness("""
            vars: [{id: in, value: a.txt}]
            actions:
              - {id: cp1, type: execute, service: cp, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: o1}]}
              - {id: left, type: execute, service: cp, inputs: [{id: input_file, var: o1}], outputs: [{id: output_file, var: l}]}
              - {id: right, type: execute, service: cp, dependsOn: cp1, inputs: [{id: input_file, var: in}], outputs: [{id: output_file, var: r}]}
            """, reload);
        Assert.Equal(["cp1"], Assert.Single(fork.Step()).Executables.Select(e => e.Id));
    }
}
