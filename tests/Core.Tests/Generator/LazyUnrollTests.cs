using System.Text.Json;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Tests.Support;

namespace Steep.Core.Tests.Generator;

/// <summary>Lazy unrolling: a for-each with an unroll budget hands out its items in windows, behind a cursor.</summary>
public sealed class LazyUnrollTests
{
    private static Workflow ForEach(int items) =>
        ModelReader.ReadWorkflow(CopyForEach.Yaml(Enumerable.Range(0, items).Select(i => $"f{i}.txt"), join: true), "workflow.yaml");

    private static readonly IReadOnlyList<Service> Services = ModelReader.ReadServices(TestServices.Yaml, "services.yaml");

    [Fact]
    public void A_for_each_of_10000_items_never_has_more_open_chains_than_its_window_and_ends_like_the_unbounded_run()
    {
        var windowed = SimulatedRun.Run(ForEach(10_000), Services, window: 100);
        var unbounded = SimulatedRun.Run(ForEach(10_000), Services, window: null);

        Assert.Equal(100, windowed.MaxOpen);
        Assert.Equal(10_000, unbounded.MaxOpen);
        Assert.Equal(10_001, windowed.Chains.Count); // 10,000 copies and the join
        Assert.Equal(unbounded.Chains, windowed.Chains);
        Assert.Equal(unbounded.Values, windowed.Values);
        Assert.True(windowed.Finished);
        // the join got every copy, in the order of the input
        var join = windowed.Chains.Single(c => c.Contains(" join "));
        var inputs = join.Split(' ').Where(a => a.StartsWith("i=", StringComparison.Ordinal)).Select(a => a[(a.LastIndexOf(':') + 1)..]).ToList();
        Assert.Equal(Enumerable.Range(0, 10_000).Select(i => $"/res/copy${i}/output_file"), inputs);
    }

    [Fact]
    public void The_saved_state_holds_the_input_once_and_a_cursor_not_the_items_waiting()
    {
        var generator = new ProcessChainGenerator(ForEach(10_000), Services, new GeneratorOptions("/tmp/", "/out/", "g"));
        var chains = generator.Generate(unrollBudget: 10);
        Assert.Equal(10, chains.Count);
        Assert.True(generator.HasMoreToUnroll);

        using var state = JsonDocument.Parse(generator.SaveState());
        var root = state.RootElement;
        // pending: the for-each itself and the join, nothing of the 9,990 items not unrolled yet
        Assert.Equal(["each", "join"], root.GetProperty("actions").EnumerateArray().Select(a => a.GetProperty("id").GetString()).Order());
        Assert.Equal(10, root.GetProperty("enumPositions").EnumerateObject().Single().Value.GetInt32());
        Assert.Equal(["each"], root.GetProperty("windowed").EnumerateArray().Select(a => a.GetString()));
    }

    [Fact]
    public void What_a_windowed_for_each_remembers_does_not_grow_with_the_items_it_has_run()
    {
        var generator = new ProcessChainGenerator(ForEach(2000), Services, new GeneratorOptions("/tmp/", "/out/", "g"));
        var open = new Queue<ProcessChain>(generator.Generate(unrollBudget: 10));
        for (int done = 0; done < 1500; done++)
        {
            var chain = open.Dequeue();
            var results = new Dictionary<string, IReadOnlyList<string>> { [chain.Executables[0].Arguments[1].Variable.Id] = ["x"] };
            foreach (var c in generator.Generate(results, [chain.Executables[0].Id], unrollBudget: 10 - open.Count)) open.Enqueue(c);
        }
        using var state = JsonDocument.Parse(generator.SaveState());
        // the executed marks of finished items are forgotten: none of the 1,500 is needed by anything still pending
        Assert.Empty(state.RootElement.GetProperty("executed").EnumerateArray());
        Assert.Equal(10, state.RootElement.GetProperty("subActionsToWaitFor").GetProperty("each").GetArrayLength());
        Assert.Equal(1510, state.RootElement.GetProperty("enumPositions").EnumerateObject().Single().Value.GetInt32());
    }

    [Fact]
    public void A_generator_reloaded_mid_way_continues_at_its_cursor()
    {
        var generator = new ProcessChainGenerator(ForEach(25), Services, new GeneratorOptions("/tmp/", "/out/", "g"));
        var first = generator.Generate(unrollBudget: 10);
        var reloaded = ProcessChainGenerator.Load(generator.SaveState(), Services);
        Assert.True(reloaded.HasMoreToUnroll);

        var ids = first.Select(c => c.Executables[0].Id).ToList();
        var results = first.ToDictionary(c => c.Executables[0].Arguments[1].Variable.Id, c => (IReadOnlyList<string>)["x"]);
        var next = reloaded.Generate(results, ids, unrollBudget: 10);
        ids.AddRange(next.Select(c => c.Executables[0].Id));
        Assert.Equal(Enumerable.Range(0, 20).Select(i => $"copy${i}"), ids);
        Assert.False(reloaded.IsFinished);
    }

    [Fact]
    public void A_for_each_whose_unrolled_items_finished_is_not_finished_while_items_wait_and_gets_one_more_without_budget()
    {
        var generator = new ProcessChainGenerator(ForEach(3), Services, new GeneratorOptions("/tmp/", "/out/", "g"));
        var chains = generator.Generate(unrollBudget: 1);
        for (int item = 1; item <= 3; item++)
        {
            var done = Assert.Single(chains);
            Assert.Equal($"copy${item - 1}", done.Executables[0].Id);
            Assert.False(generator.Values.ContainsKey("copies")); // not collected before every item has run
            var results = new Dictionary<string, IReadOnlyList<string>> { [done.Executables[0].Arguments[1].Variable.Id] = [$"c{item}"] };
            // no budget (the window is full of other chains), but nothing of this for-each is open: one more item
            chains = generator.Generate(results, [done.Executables[0].Id], unrollBudget: 0);
        }
        var join = Assert.Single(chains);
        Assert.Equal("join", join.Executables[0].Id);
        Assert.Equal(["c1", "c2", "c3"], join.Executables[0].Arguments.Where(a => a.Id == "i").Select(a => a.Variable.Value));
        Assert.False(generator.HasMoreToUnroll);
    }

    [Fact]
    public void Nested_for_eaches_progress_with_a_window_of_one_and_end_like_the_unbounded_run()
    {
        var workflow = ModelReader.ReadWorkflow("""
            vars:
              - id: outer
                value: [[a, b, c], [d, e], [f, g, h, i]]
              - {id: row}
              - {id: x}
              - {id: c}
              - {id: copies}
            actions:
              - type: for
                input: outer
                enumerator: row
                output: copies
                yieldToOutput: copies_row
                actions:
                  - type: for
                    input: row
                    enumerator: x
                    output: copies_row
                    yieldToOutput: c
                    actions:
                      - {id: copy, type: execute, service: cp, inputs: [{id: input_file, var: x}], outputs: [{id: output_file, var: c}]}
            """, "workflow.yaml");
        var unbounded = SimulatedRun.Run(workflow, Services, window: null);
        foreach (var window in new[] { 1, 2, 5 })
        {
            var windowed = SimulatedRun.Run(workflow, Services, window, oneAtATime: true);
            Assert.True(windowed.MaxOpen <= window, $"window {window}: {windowed.MaxOpen} chains open at once");
            Assert.Equal(9, windowed.Chains.Count);
            Assert.Equal(unbounded.Chains, windowed.Chains);
            Assert.Equal(unbounded.Values, windowed.Values);
            Assert.True(windowed.Finished);
        }
    }
}
