using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>Plays ping-pong by one-way notifications: ball "A" tells ball "B", which tells "A", and so on.</summary>
internal sealed class BallGrain : Grain
{
    public int Hits { get; private set; }

    public Task Hit(int n, int limit, TaskCompletionSource<int> done)
    {
        Hits++;
        if (n >= limit) done.TrySetResult(n);
        else GetGrain<BallGrain>(Id.Key == "A" ? "B" : "A").Tell(b => b.Hit(n + 1, limit, done));
        return Task.CompletedTask;
    }

    public Task<int> GetHits() => Task.FromResult(Hits);
}
