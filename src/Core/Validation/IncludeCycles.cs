using Steep.Core.Models;

namespace Steep.Core.Validation;

/// <summary>Macros that include each other, directly or through others, could never be expanded.</summary>
internal static class IncludeCycles
{
    /// <summary>One problem per cycle among the macros reachable from <paramref name="start"/> (unknown ids are ignored here).</summary>
    public static IEnumerable<string> Find(IReadOnlyDictionary<string, Macro> macros, IEnumerable<string> start)
    {
        var ids = new List<string>();
        var number = new Dictionary<string, int>();
        var edges = new List<List<int>>();
        var queue = new Queue<string>();
        int Node(string id)
        {
            if (number.TryGetValue(id, out var n)) return n;
            number[id] = n = ids.Count;
            ids.Add(id);
            edges.Add([]);
            queue.Enqueue(id);
            return n;
        }
        foreach (var s in start) if (macros.ContainsKey(s)) Node(s);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            int from = number[id];
            foreach (var target in Included(macros[id].Actions))
            {
                if (!macros.ContainsKey(target)) continue;
                int to = Node(target);
                if (!edges[from].Contains(to)) edges[from].Add(to);
            }
        }
        foreach (var cycle in Cycles.Find(ids.Count, edges))
        {
            var names = cycle.Select(n => $"'{ids[n]}'").ToList();
            yield return names.Count == 1
                ? $"Include cycle: macro {names[0]} includes itself; a macro must not include itself, directly or through other macros."
                : $"Include cycle between macros {string.Join(", ", names)}: they include each other, so they could never be expanded; remove one of these includes.";
        }
    }

    private static IEnumerable<string> Included(IReadOnlyList<WorkflowAction> actions)
    {
        foreach (var a in actions)
        {
            if (a is IncludeAction inc) yield return inc.Macro;
            if (a is ForEachAction f) foreach (var m in Included(f.Actions)) yield return m;
        }
    }
}
