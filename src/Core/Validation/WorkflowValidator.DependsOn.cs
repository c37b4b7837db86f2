using Steep.Core.Models;

namespace Steep.Core.Validation;

public static partial class WorkflowValidator
{
    private sealed partial class Context
    {
        /// <summary>
        /// dependsOn edges that form a cycle, also through for-each actions (a for-each finishes only after its
        /// sub-actions, which start only after it started) and include actions (which run as a whole): none of the
        /// actions of a cycle could ever start. Each action has a start and an end node; an edge means "waits for".
        /// </summary>
        private void DependsOnCycles()
        {
            var all = new List<(WorkflowAction Action, string Where)>();
            var parent = new List<int>();
            void Collect(IReadOnlyList<WorkflowAction> list, string path, int up)
            {
                for (int i = 0; i < list.Count; i++)
                {
                    int me = all.Count;
                    all.Add((list[i], Describe(list[i], $"{path}[{i}]")));
                    parent.Add(up);
                    if (list[i] is ForEachAction f) Collect(f.Actions, $"{path}[{i}].actions", me);
                }
            }
            Collect(actions, "actions", -1);
            if (!all.Any(x => x.Action.DependsOn.Count > 0)) return;

            var byId = new Dictionary<string, int>();
            for (int i = 0; i < all.Count; i++) if (all[i].Action.Id is { Length: > 0 } id) byId.TryAdd(id, i);
            int n = all.Count;
            var edges = new List<List<int>>(2 * n);
            for (int i = 0; i < 2 * n; i++) edges.Add([]);
            // node i: action i starts; node n + i: action i has finished
            for (int i = 0; i < n; i++)
            {
                edges[n + i].Add(i);
                foreach (var d in all[i].Action.DependsOn) if (byId.TryGetValue(d, out var t)) edges[i].Add(n + t);
                if (parent[i] >= 0)
                {
                    edges[i].Add(parent[i]);
                    edges[n + parent[i]].Add(n + i);
                }
            }
            var cycles = Cycles.Find(2 * n, edges);
            if (cycles.Count == 0) return;
            // Steep reports every action its topological sort cannot place: the cycle and the actions waiting on it
            var reverse = new List<List<int>>(2 * n);
            for (int i = 0; i < 2 * n; i++) reverse.Add([]);
            for (int i = 0; i < 2 * n; i++) foreach (var t in edges[i]) reverse[t].Add(i);
            string Name(int k) => all[k].Action.Id is { Length: > 0 } id ? $"'{id}'" : all[k].Where;
            foreach (var cycle in cycles)
            {
                var members = cycle.Select(k => k % n).Distinct().Order().ToList();
                var waiting = new HashSet<int>();
                var work = new Stack<int>(cycle);
                var seen = new HashSet<int>(cycle);
                while (work.Count > 0)
                {
                    foreach (var from in reverse[work.Pop()])
                    {
                        if (!seen.Add(from)) continue;
                        work.Push(from);
                        if (!members.Contains(from % n)) waiting.Add(from % n);
                    }
                }
                var also = waiting.Count == 0 ? "" : $" (also waiting on it: {string.Join(", ", waiting.Order().Select(Name))})";
                problems.Add($"dependsOn cycle between actions {string.Join(", ", members.Select(Name))}: each waits for another, so none of them can ever start{also}; remove one of these dependencies.");
            }
        }
    }
}
