namespace Steep.Api.Http;

/// <summary>
/// Lets one large workflow body at a time be read, checked and stored. Accepting a body costs many times its size while
/// it is being turned into a submission (a 4 MB for-each of two million items took about 550 MiB), so concurrent large
/// bodies would multiply that peak; small ones, the everyday case, pass without waiting.
/// </summary>
internal sealed class LargeBodyGate
{
    private readonly SemaphoreSlim _one = new(1, 1);

    /// <summary>Bodies of at least this many characters wait for their turn.</summary>
    public int Threshold { get; }

    /// <summary>A gate for bodies of at least <paramref name="threshold"/> characters.</summary>
    public LargeBodyGate(int threshold) => Threshold = threshold;

    /// <summary>Waits for the turn of a body of <paramref name="length"/> characters; dispose the result to pass it on.</summary>
    public async ValueTask<IDisposable?> EnterAsync(int length, CancellationToken ct)
    {
        if (length < Threshold) return null;
        await _one.WaitAsync(ct);
        return new Turn(_one);
    }

    private sealed class Turn(SemaphoreSlim one) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) one.Release();
        }
    }
}
