using Steep.Core.Scheduling;

namespace Steep.Core.Tests.Scheduling;

public sealed class ChainQueueTests
{
    private static QueuedChain Chain(string id, long seq, params string[] caps) => new(id, "s", caps, seq);

    [Fact]
    public void Takes_chains_in_registration_order()
    {
        var q = new ChainQueue();
        q.Enqueue(Chain("b", 2));
        q.Enqueue(Chain("a", 1));
        q.Enqueue(Chain("c", 3));
        Assert.Equal(["a", "b", "c"], new[] { q.TryTake([])!.Id, q.TryTake([])!.Id, q.TryTake([])!.Id });
        Assert.Null(q.TryTake([]));
    }

    [Fact]
    public void A_chain_nobody_can_run_does_not_block_the_ones_behind_it()
    {
        var q = new ChainQueue();
        q.Enqueue(Chain("gpu", 1, "gpu"));
        q.Enqueue(Chain("plain", 2));
        Assert.Equal("plain", q.TryTake(["docker"])!.Id);
        Assert.Null(q.TryTake(["docker"]));
        Assert.Equal(["gpu"], q.Unrunnable([["docker"]]).Select(c => c.Id));
        Assert.Equal("gpu", q.TryTake(["gpu", "docker"])!.Id);
    }

    [Fact]
    public void An_agent_needs_every_required_capability()
    {
        var q = new ChainQueue();
        q.Enqueue(Chain("x", 1, "a", "b"));
        Assert.Null(q.TryTake(["a"]));
        Assert.Equal("x", q.TryTake(["b", "a", "c"])!.Id);
    }

    [Fact]
    public void Removed_and_duplicate_chains()
    {
        var q = new ChainQueue();
        q.Enqueue(Chain("x", 1));
        q.Enqueue(Chain("x", 5));
        Assert.Equal(1, q.Count);
        Assert.True(q.Remove("x"));
        Assert.False(q.Remove("x"));
        Assert.Null(q.TryTake([]));
    }
}
