using System.Collections.Concurrent;

namespace Steep.LoadBench;

/// <summary>Latencies of one kind of request, and how many failed.</summary>
internal sealed class LatencyRecorder(string name)
{
    private readonly ConcurrentBag<double> _millis = [];
    private int _errors;

    public string Name { get; } = name;
    public int Count => _millis.Count;
    public int Errors => _errors;

    public void Add(TimeSpan elapsed) => _millis.Add(elapsed.TotalMilliseconds);
    public void Fail() => Interlocked.Increment(ref _errors);

    public LatencySummary Summarize()
    {
        var sorted = _millis.ToArray();
        Array.Sort(sorted);
        double P(double q) => sorted.Length == 0 ? double.NaN : sorted[Math.Clamp((int)Math.Ceiling(q * sorted.Length) - 1, 0, sorted.Length - 1)];
        return new LatencySummary(Name, sorted.Length, _errors, P(0.50), P(0.99), sorted.Length == 0 ? double.NaN : sorted[^1],
            sorted.Length == 0 ? double.NaN : sorted.Average());
    }
}

/// <summary>Percentiles in milliseconds (nearest rank).</summary>
internal sealed record LatencySummary(string Name, int Count, int Errors, double P50, double P99, double Max, double Mean);
