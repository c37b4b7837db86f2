using System.Text.Json.Nodes;
using Steep.Core.Models;

namespace Steep.Core.Validation;

/// <summary>
/// How many for-each iterations a workflow declares: every iteration of every for-each action, nested ones once per
/// iteration of their parents, counted from the declared values of the inputs (an input produced at run time counts
/// nothing: it is not known yet). A small text can declare millions (a for-each of 1,000 items inside one of 1,000),
/// so a server bounds this before it accepts a workflow.
/// </summary>
public static class ForEachItems
{
    /// <summary>The number of iterations, or a number above <paramref name="stopAbove"/> as soon as the count passes it.</summary>
    public static long Count(Workflow workflow, long stopAbove = long.MaxValue)
    {
        var vars = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        foreach (var v in workflow.Vars) vars.TryAdd(v.Id, v.Value);
        return new Counter(vars, stopAbove).Sum(workflow.Actions, new Dictionary<string, JsonNode?>(StringComparer.Ordinal));
    }

    private sealed class Counter(Dictionary<string, JsonNode?> vars, long stopAbove)
    {
        public long Sum(IReadOnlyList<WorkflowAction> actions, Dictionary<string, JsonNode?> items)
        {
            long total = 0;
            foreach (var a in actions)
            {
                if (a is ForEachAction f) total = Add(total, Iterations(f, items));
                if (total > stopAbove) break;
            }
            return total;
        }

        private long Iterations(ForEachAction f, Dictionary<string, JsonNode?> items)
        {
            // the enclosing for-eaches' current items shadow variables of the same name, as in the generator
            var input = items.TryGetValue(f.Input, out var item) ? item : vars.GetValueOrDefault(f.Input);
            if (input is null) return 0;
            var list = input as JsonArray;
            int count = list?.Count ?? 1;
            if (!UsesEnumerator(f.Actions, f.Enumerator))
            {
                // the body unrolls the same for every item: no need to look at them one by one
                return Mul(count, Add(1, Sum(f.Actions, items)));
            }
            long total = 0;
            var inner = new Dictionary<string, JsonNode?>(items, StringComparer.Ordinal);
            for (int i = 0; i < count && total <= stopAbove; i++)
            {
                inner[f.Enumerator] = list is null ? input : list[i];
                total = Add(total, Add(1, Sum(f.Actions, inner)));
            }
            return total;
        }

        /// <summary>True when a for-each nested at any depth iterates over <paramref name="enumerator"/>.</summary>
        private static bool UsesEnumerator(IReadOnlyList<WorkflowAction> actions, string enumerator)
        {
            foreach (var a in actions)
            {
                if (a is ForEachAction f && (f.Input == enumerator || UsesEnumerator(f.Actions, enumerator))) return true;
            }
            return false;
        }

        private static long Add(long a, long b) => a > long.MaxValue - b ? long.MaxValue : a + b;

        private static long Mul(long a, long b) => a == 0 || b == 0 ? 0 : a > long.MaxValue / b ? long.MaxValue : a * b;
    }
}
