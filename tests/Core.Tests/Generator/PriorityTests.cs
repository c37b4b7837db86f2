using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>Steep 6 priorities: a chain's priority comes from its actions, their enclosing for-each, or the workflow.</summary>
public sealed class PriorityTests
{
    private const string Workflow = """
        api: 4.5.0
        priority: 1
        vars:
          - {id: a, value: a.txt}
          - {id: b}
          - {id: c}
          - {id: files, value: [x.txt, y.txt]}
          - {id: f}
          - {id: g}
          - {id: h}
          - {id: i}
        actions:
          - {id: plain, type: execute, service: cp, inputs: [{id: input_file, var: a}], outputs: [{id: output_file, var: b}]}
          - {id: urgent, type: execute, service: cp, priority: 9, inputs: [{id: input_file, var: b}], outputs: [{id: output_file, var: c}]}
          - type: for
            id: each
            priority: 5
            input: files
            enumerator: f
            actions:
              - {id: inherits, type: execute, service: cp, inputs: [{id: input_file, var: f}], outputs: [{id: output_file, var: g}]}
              - {id: own, type: execute, service: cp, priority: -2, inputs: [{id: input_file, var: f}], outputs: [{id: output_file, var: h}]}
        """;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_chain_takes_the_highest_priority_of_its_actions_else_its_for_each_s_else_the_workflow_s(bool reload)
    {
        var h = new GeneratorHarness(Workflow, reload);
        var chains = h.Step();
        // plain and urgent are joined into one chain: the higher of the workflow's (plain) and urgent's own
        var joined = Assert.Single(chains, c => c.Executables.Any(e => e.Id.StartsWith("plain", StringComparison.Ordinal)));
        Assert.Equal(9, joined.Priority);
        var inherits = chains.Where(c => c.Executables.Any(e => e.Id.StartsWith("inherits", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, inherits.Count);
        Assert.All(inherits, c => Assert.Equal(5, c.Priority));
        var own = chains.Where(c => c.Executables.Any(e => e.Id.StartsWith("own", StringComparison.Ordinal))).ToList();
        Assert.Equal(2, own.Count);
        Assert.All(own, c => Assert.Equal(-2, c.Priority));
    }

    [Fact]
    public void Without_any_priority_chains_have_none()
    {
        var h = new GeneratorHarness("""
            vars: [{id: a, value: a.txt}, {id: b}]
            actions: [{type: execute, service: cp, inputs: [{id: input_file, var: a}], outputs: [{id: output_file, var: b}]}]
            """);
        Assert.Null(Assert.Single(h.Step()).Priority);
    }
}
