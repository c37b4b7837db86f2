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

    [Fact]
    public void Higher_priority_runs_first_and_oldest_first_within_a_priority()
    {
        var q = new ChainQueue();
        q.Enqueue(Chain("low1", 1));
        q.Enqueue(Chain("low2", 2));
        q.Enqueue(Chain("high2", 4) with { Priority = 10 });
        q.Enqueue(Chain("high1", 3) with { Priority = 10 });
        q.Enqueue(Chain("negative", 0) with { Priority = -5 });
        var order = Enumerable.Range(0, 5).Select(_ => q.TryTake([])!.Id).ToList();
        Assert.Equal(["high1", "high2", "low1", "low2", "negative"], order);
    }

    [Fact]
    public void A_high_priority_chain_nobody_can_run_does_not_block_lower_ones()
    {
        var q = new ChainQueue();
        q.Enqueue(Chain("gpu", 1, "gpu") with { Priority = 100 });
        q.Enqueue(Chain("plain", 2));
        Assert.Equal("plain", q.TryTake([])!.Id);
        Assert.Equal("gpu", q.TryTake(["gpu"])!.Id);
    }

    [Fact]
    public void Changing_the_priority_of_waiting_chains_moves_them_in_the_queue()
    {
        var q = new ChainQueue();
        q.Enqueue(new QueuedChain("a1", "A", [], 1));
        q.Enqueue(new QueuedChain("a2", "A", [], 2));
        q.Enqueue(new QueuedChain("b1", "B", [], 3));
        q.Enqueue(new QueuedChain("b2", "B", [], 4));
        Assert.Equal(2, q.SetPriority(c => c.SubmissionId == "B", 5));
        Assert.Equal(0, q.SetPriority(c => c.SubmissionId == "B", 5));
        Assert.Equal(1, q.SetPriority(c => c.Id == "a2", 5));
        var order = Enumerable.Range(0, 4).Select(_ => q.TryTake([])!.Id).ToList();
        Assert.Equal(["a2", "b1", "b2", "a1"], order);
    }
}
