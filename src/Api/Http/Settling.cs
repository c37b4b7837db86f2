namespace Steep.Api.Http;

/// <summary>Waits, a bounded time, for something that has been told to stop to have stopped.</summary>
internal static class Settling
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Reads with <paramref name="read"/> until <paramref name="settled"/> holds or <paramref name="limit"/> has passed;
    /// returns the last value read (null when it disappeared).
    /// </summary>
    public static async Task<T?> WaitAsync<T>(Func<CancellationToken, Task<T?>> read, Func<T, bool> settled, TimeSpan limit, CancellationToken ct)
        where T : class
    {
        var until = DateTime.UtcNow + limit;
        while (true)
        {
            var value = await read(ct).ConfigureAwait(false);
            if (value is null || settled(value) || DateTime.UtcNow >= until) return value;
            await Task.Delay(PollInterval, ct).ConfigureAwait(false);
        }
    }
}
