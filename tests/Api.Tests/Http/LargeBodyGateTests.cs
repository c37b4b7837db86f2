using Steep.Api.Http;

namespace Steep.Api.Tests.Http;

/// <summary>Large workflow bodies are taken one at a time; everyday ones never wait.</summary>
public sealed class LargeBodyGateTests
{
    [Fact]
    public async Task A_second_large_body_waits_until_the_first_is_done_while_small_ones_pass()
    {
        var gate = new LargeBodyGate(threshold: 1000);
        var first = await gate.EnterAsync(5000, CancellationToken.None);
        Assert.NotNull(first);

        var second = gate.EnterAsync(5000, CancellationToken.None).AsTask();
        Assert.Null(await gate.EnterAsync(999, CancellationToken.None)); // small: no turn needed, no wait
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        first!.Dispose();
        first.Dispose(); // a second dispose must not let two large bodies in
        using var turn = await second.WaitAsync(TimeSpan.FromSeconds(5));
        var third = gate.EnterAsync(5000, CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(third.IsCompleted);
        turn!.Dispose();
        (await third.WaitAsync(TimeSpan.FromSeconds(5)))!.Dispose();
    }

    [Fact]
    public async Task A_large_body_whose_client_gives_up_stops_waiting()
    {
        var gate = new LargeBodyGate(threshold: 10);
        using var first = await gate.EnterAsync(10, CancellationToken.None);
        using var gone = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await gate.EnterAsync(10, gone.Token));
    }
}
