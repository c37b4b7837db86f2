using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Core.Tests.Validation;

/// <summary>How many for-each iterations a workflow declares, which a server bounds before accepting it.</summary>
public sealed class ForEachItemsTests
{
    private static long Count(string yaml, long stopAbove = long.MaxValue) =>
        ForEachItems.Count(ModelReader.ReadWorkflow(yaml, "workflow.yaml"), stopAbove);

    [Fact]
    public void A_for_each_inside_a_for_each_over_the_same_list_counts_every_inner_iteration_once_per_outer_one()
    {
        var items = string.Join(", ", Enumerable.Range(0, 1000));
        var yaml = $$"""
            vars: [{id: items, value: [{{items}}]}, {id: i}, {id: j}]
            actions:
              - type: for
                input: items
                enumerator: i
                actions:
                  - type: for
                    input: items
                    enumerator: j
                    actions: [{type: execute, service: cp, inputs: [{id: input_file, var: j}]}]
            """;
        Assert.Equal(1000 + 1000 * 1000, Count(yaml));
        Assert.InRange(Count(yaml, stopAbove: 5000), 5001, long.MaxValue); // stops early, above the limit
    }

    [Fact]
    public void A_nested_for_each_over_its_parents_item_counts_that_items_length_and_a_run_time_input_counts_nothing()
    {
        Assert.Equal(3 + 2 + 1 + 4, Count("""
            vars: [{id: rows, value: [[a, b], [c], [d, e, f, g]]}, {id: row}, {id: x}, {id: produced}, {id: y}]
            actions:
              - type: for
                input: rows
                enumerator: row
                actions:
                  - type: for
                    input: row
                    enumerator: x
                    actions: [{type: execute, service: cp, inputs: [{id: input_file, var: x}]}]
              - type: for
                input: produced
                enumerator: y
                actions: [{type: execute, service: cp, inputs: [{id: input_file, var: y}]}]
            """));
    }
}
