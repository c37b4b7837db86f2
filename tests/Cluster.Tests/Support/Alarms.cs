using System.Collections.Concurrent;

namespace Steep.Cluster.Tests.Support;

/// <summary>The reminder ticks the test silos of this process received: grain key and silo, in order.</summary>
public static class Alarms
{
    private static readonly ConcurrentQueue<(string Key, string Silo)> Ticks = new();

    /// <summary>Notes a tick.</summary>
    public static void Record(string key, string silo) => Ticks.Enqueue((key, silo));

    /// <summary>Waits until <paramref name="key"/> ticked; returns the silo of its first tick, or null after <paramref name="timeout"/>.</summary>
    public static async Task<string?> WaitAsync(string key, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            foreach (var (k, s) in Ticks) if (k == key) return s;
            await Task.Delay(100);
        }
        return null;
    }
}
