namespace Steep.Core.Validation;

/// <summary>Strongly connected components of a directed graph (Tarjan's algorithm, iterative so that deep graphs cannot overflow the stack).</summary>
internal static class Cycles
{
    /// <summary>The components with more than one node or with an edge to themselves: the cycles, each as its nodes in ascending order.</summary>
    public static List<List<int>> Find(int count, IReadOnlyList<List<int>> edges)
    {
        var index = new int[count];
        var low = new int[count];
        var onStack = new bool[count];
        Array.Fill(index, -1);
        var stack = new Stack<int>();
        var result = new List<List<int>>();
        int next = 0;
        var work = new Stack<(int Node, int Edge)>();
        for (int root = 0; root < count; root++)
        {
            if (index[root] >= 0) continue;
            work.Push((root, 0));
            while (work.Count > 0)
            {
                var (v, e) = work.Pop();
                if (e == 0)
                {
                    index[v] = low[v] = next++;
                    stack.Push(v);
                    onStack[v] = true;
                }
                bool descended = false;
                for (; e < edges[v].Count; e++)
                {
                    int w = edges[v][e];
                    if (index[w] < 0)
                    {
                        work.Push((v, e + 1));
                        work.Push((w, 0));
                        descended = true;
                        break;
                    }
                    if (onStack[w]) low[v] = Math.Min(low[v], index[w]);
                }
                if (descended) continue;
                if (low[v] == index[v])
                {
                    var component = new List<int>();
                    int w;
                    do
                    {
                        w = stack.Pop();
                        onStack[w] = false;
                        component.Add(w);
                    } while (w != v);
                    if (component.Count > 1 || edges[v].Contains(v))
                    {
                        component.Sort();
                        result.Add(component);
                    }
                }
                if (work.Count > 0)
                {
                    var (parent, _) = work.Peek();
                    low[parent] = Math.Min(low[parent], low[v]);
                }
            }
        }
        return result;
    }
}
