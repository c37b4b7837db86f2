using System.Diagnostics;
using Steep.Client.Events;
using Steep.Client.Models;

namespace Steep.Client.Tests;

/// <summary>Server-sent events from a real gateway while workflows run.</summary>
public sealed class EventTests(SteepServer server) : IClassFixture<SteepServer>
{
    [Fact]
    public async Task Events_follow_a_running_workflow_until_it_ends()
    {
        using var client = server.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var events = new List<SteepEvent>();
        var submitted = new TaskCompletionSource<string>();

        var watching = Task.Run(async () =>
        {
            string? id = null;
            await foreach (var e in client.WatchEventsAsync(stop.Token))
            {
                events.Add(e);
                id ??= submitted.Task.IsCompleted ? submitted.Task.Result : null;
                if (id is not null && e is SubmissionEvent { IsFinal: true } s && s.SubmissionId == id) return;
            }
        });
        await Task.Delay(300); // the stream is open well before the one-second chain ends
        var accepted = await client.SubmitWorkflowAsync(Workflows.SleepYaml(1));
        submitted.SetResult(accepted.Id);
        await watching;
        Assert.False(stop.IsCancellationRequested, "the final submission event did not arrive within 30 s");

        var mine = events.OfType<SubmissionEvent>().Where(e => e.SubmissionId == accepted.Id).ToList();
        Assert.Equal(SubmissionStatus.Success, mine[^1].Status);
        Assert.Equal(1, mine[^1].SucceededProcessChains);
        Assert.Equal(1, mine[^1].TotalProcessChains);
        Assert.All(mine, e => Assert.Equal("submission", e.Type));
        Assert.All(mine, e => Assert.StartsWith("{", e.Data));

        var chains = events.OfType<ProcessChainEvent>().Where(e => e.SubmissionId == accepted.Id).ToList();
        Assert.Contains(chains, e => e.Status == ProcessChainStatus.Running);
        var success = Assert.Single(chains, e => e.Status == ProcessChainStatus.Success);
        Assert.False(string.IsNullOrEmpty(success.ProcessChainId));
        Assert.True(success.DurationMillis >= 900, $"duration {success.DurationMillis}");
        Assert.Equal("sleep", success.ServiceId);

        var agents = events.OfType<AgentEvent>().Where(e => e.ProcessChainId == success.ProcessChainId || e.AgentId == success.AgentId).ToList();
        Assert.Contains(agents, e => e.State == "busy");
        Assert.Contains(agents, e => e.State == "idle");
        Assert.DoesNotContain(events, e => e is UnknownEvent);
    }

    [Fact]
    public async Task Cancelling_ends_the_enumeration_without_an_exception()
    {
        using var client = server.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromMilliseconds(500));
        var sw = Stopwatch.StartNew();
        int count = 0;
        await foreach (var _ in client.WatchEventsAsync(stop.Token)) count++;
        Assert.InRange(sw.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));

        // the same through WithCancellation
        using var stop2 = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await foreach (var _ in client.WatchEventsAsync().WithCancellation(stop2.Token)) count++;

        // and a token that is already cancelled ends at once
        await foreach (var _ in client.WatchEventsAsync(new CancellationToken(canceled: true))) count++;
        Assert.True(count >= 0);
    }

    [Fact]
    public async Task Waiting_uses_events_and_returns_the_whole_submission_at_once()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SleepYaml(1));
        var sw = Stopwatch.StartNew();
        var done = await client.WaitForSubmissionAsync(accepted.Id, TimeSpan.FromSeconds(30));
        sw.Stop();
        Assert.Equal(SubmissionStatus.Success, done.Status);
        Assert.NotNull(done.Workflow);
        // events wake the waiter: far sooner than the 5 s safety poll
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(4), $"waited {sw.Elapsed}");
    }

    [Fact]
    public async Task Many_waiters_at_once_all_see_the_end()
    {
        using var client = server.CreateClient();
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ => (await client.SubmitWorkflowAsync(Workflows.SleepYaml(0))).Id));
        var done = await Task.WhenAll(ids.Select(id => client.WaitForSubmissionAsync(id, TimeSpan.FromSeconds(30))));
        Assert.All(done, s => Assert.Equal(SubmissionStatus.Success, s.Status));
    }
}
