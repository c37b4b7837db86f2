using Steep.Core.Models;

namespace Steep.Core.Macros;

/// <summary>
/// After expansion an include action's id names no action any more: a <c>dependsOn</c> on it is replaced by the ids of
/// every action it expanded to (all ids starting with <c>$include$</c>), as in Steep. Unknown targets are left for the
/// validator to report.
/// </summary>
internal static class DependencyUpdate
{
    public static List<WorkflowAction> Apply(List<WorkflowAction> actions)
    {
        var ids = new List<string>();
        Collect(actions, ids);
        var known = new HashSet<string>(ids);
        // the generated ids sorted, so the actions an include expanded to are one range found by binary search
        var sorted = ids.Where(i => i.StartsWith('$')).Order(StringComparer.Ordinal).ToArray();
        var position = new Dictionary<string, int>();
        for (int i = 0; i < ids.Count; i++) position.TryAdd(ids[i], i);
        return Update(actions, known, sorted, position);
    }

    private static void Collect(IReadOnlyList<WorkflowAction> actions, List<string> ids)
    {
        foreach (var a in actions)
        {
            if (a.Id is { } id) ids.Add(id);
            if (a is ForEachAction f) Collect(f.Actions, ids);
        }
    }

    private static List<WorkflowAction> Update(IReadOnlyList<WorkflowAction> actions, HashSet<string> known, string[] sorted,
        Dictionary<string, int> position)
    {
        var result = new List<WorkflowAction>(actions.Count);
        foreach (var a in actions)
        {
            var updated = a;
            if (a.DependsOn.Any(d => !known.Contains(d)))
            {
                var deps = new List<string>();
                foreach (var d in a.DependsOn)
                {
                    if (known.Contains(d)) { deps.Add(d); continue; }
                    // in workflow order, as Steep lists them
                    var expandedTo = WithPrefix(sorted, $"${d.TrimStart('$')}$");
                    expandedTo.Sort((x, y) => position[x].CompareTo(position[y]));
                    if (expandedTo.Count == 0) deps.Add(d);
                    else deps.AddRange(expandedTo);
                }
                updated = a with { DependsOn = deps.Distinct().ToList() };
            }
            if (updated is ForEachAction f) updated = f with { Actions = Update(f.Actions, known, sorted, position) };
            result.Add(updated);
        }
        return result;
    }

    private static List<string> WithPrefix(string[] sorted, string prefix)
    {
        int i = Array.BinarySearch(sorted, prefix, StringComparer.Ordinal);
        if (i < 0) i = ~i;
        var found = new List<string>();
        for (; i < sorted.Length && sorted[i].StartsWith(prefix, StringComparison.Ordinal); i++) found.Add(sorted[i]);
        return found;
    }
}
