namespace Steep.Agent;

/// <summary>The last lines of a service's combined output, quoted when it fails.</summary>
internal sealed class OutputTail(int capacity)
{
    private readonly Queue<string> _lines = new();

    /// <summary>Keeps <paramref name="line"/>, dropping the oldest line when full.</summary>
    public void Add(string line)
    {
        if (capacity <= 0) return;
        lock (_lines)
        {
            if (_lines.Count == capacity) _lines.Dequeue();
            _lines.Enqueue(line);
        }
    }

    /// <summary>The lines kept, oldest first.</summary>
    public IReadOnlyList<string> ToList()
    {
        lock (_lines) return [.. _lines];
    }
}
