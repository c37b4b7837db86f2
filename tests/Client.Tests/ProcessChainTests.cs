using System.Net;
using System.Net.Http.Headers;
using Steep.Client.Models;

namespace Steep.Client.Tests;

/// <summary>Process chains and their logs, with the split/join example (examples/split-join) on a real gateway.</summary>
public sealed class ProcessChainTests(SteepServer server) : IClassFixture<SteepServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task The_split_join_example_runs_four_chains_that_are_listed_paged_and_found()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SplitJoinYaml());
        var done = await client.WaitForSubmissionAsync(accepted.Id, Wait);
        Assert.True(done.Status == SubmissionStatus.Success, $"status {done.Status}: {done.ErrorMessage}\n{server.Output}");
        Assert.Equal(4, done.TotalProcessChains);
        Assert.Equal(4, done.SucceededProcessChains);

        var all = await client.ListProcessChainsAsync(submissionId: accepted.Id, size: 10);
        Assert.Equal(4, all.Total);
        Assert.Equal(4, all.Items.Count);
        Assert.All(all.Items, c =>
        {
            Assert.Equal(accepted.Id, c.SubmissionId);
            Assert.Equal(ProcessChainStatus.Success, c.Status);
            Assert.True(c.IsFinal);
            Assert.Empty(c.Executables); // lists leave them out
            Assert.Null(c.Results);
            Assert.NotNull(c.StartTime);
            Assert.NotNull(c.EndTime);
        });

        var firstPage = await client.ListProcessChainsAsync(submissionId: accepted.Id, size: 3);
        var secondPage = await client.ListProcessChainsAsync(submissionId: accepted.Id, offset: 3, size: 3);
        Assert.Equal(3, firstPage.Items.Count);
        Assert.True(firstPage.HasMore);
        Assert.Single(secondPage.Items);
        Assert.Equal(4, secondPage.Total);
        Assert.Equal(all.Items.Select(c => c.Id), firstPage.Items.Concat(secondPage.Items).Select(c => c.Id));

        var succeeded = await client.ListProcessChainsAsync(submissionId: accepted.Id, status: ProcessChainStatus.Success);
        Assert.Equal(4, succeeded.Total);
        var failed = await client.ListProcessChainsAsync(submissionId: accepted.Id, status: ProcessChainStatus.Error);
        Assert.Equal(0, failed.Total);
        Assert.Empty(failed.Items);

        // by id: with executables and results; the join (newest, so first) takes two inputs
        var join = await client.GetProcessChainAsync(all.Items[0].Id);
        Assert.NotNull(join);
        var exe = Assert.Single(join.Executables);
        Assert.Equal("join", exe.ServiceId);
        Assert.EndsWith("join.sh", exe.Path);
        Assert.Equal(2, exe.Arguments.Count(a => a.Type == "input"));
        Assert.Single(exe.Arguments, a => a.Type == "output");
        Assert.NotNull(join.Results);
        Assert.NotEmpty(join.Results);
        Assert.Equal(ProcessChainStatus.Success, join.Status);
        Assert.False(string.IsNullOrEmpty(join.AgentId));
        Assert.True(join.TotalRuns >= 1);

        var copies = await Task.WhenAll(all.Items.Skip(1).Select(c => client.GetProcessChainAsync(c.Id)));
        Assert.All(copies, c => Assert.Equal("cp", Assert.Single(c!.Executables).Path));
    }

    [Fact]
    public async Task Process_chain_lists_for_all_submissions_and_bad_parameters()
    {
        using var client = server.CreateClient();
        var id = (await client.SubmitWorkflowAsync(Workflows.SleepYaml(0))).Id;
        await client.WaitForSubmissionAsync(id, Wait);

        var all = await client.ListProcessChainsAsync(size: 1);
        Assert.Single(all.Items);
        Assert.True(all.Total >= 1);
        Assert.Equal(1, all.Size);

        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.ListProcessChainsAsync(status: "FINISHED"));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("REGISTERED", e.ServerMessage);

        var none = await client.ListProcessChainsAsync(submissionId: "no-such-submission");
        Assert.Equal(0, none.Total);
        Assert.Empty(none.Items);
    }

    [Fact]
    public async Task A_finished_chain_has_one_run_with_its_agent_and_status()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SplitJoinYaml());
        await client.WaitForSubmissionAsync(accepted.Id, Wait);
        var chain = (await client.ListProcessChainsAsync(submissionId: accepted.Id, size: 1)).Items.Single();

        var run = Assert.Single((await client.ListProcessChainRunsAsync(chain.Id))!);
        Assert.Equal((1, ProcessChainStatus.Success), (run.RunNumber, run.Status));
        Assert.False(string.IsNullOrEmpty(run.AgentId));
        Assert.True(run.EndTime >= run.StartTime);
        Assert.Equal(run, await client.GetProcessChainRunAsync(chain.Id, 1));
        Assert.Null(await client.GetProcessChainRunAsync(chain.Id, 2));
        Assert.Null(await client.ListProcessChainRunsAsync("no-such-chain"));
    }

    [Fact]
    public async Task Unknown_process_chains_are_null_and_404_for_cancel()
    {
        using var client = server.CreateClient();
        Assert.Null(await client.GetProcessChainAsync("no-such-chain"));
        Assert.Null(await client.GetProcessChainLogAsync("no-such-chain"));
        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.CancelProcessChainAsync("no-such-chain"));
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Equal("PUT", e.Method);
        Assert.Contains("no-such-chain", e.ServerMessage);
    }

    [Fact]
    public async Task Logs_are_read_whole_and_by_byte_range()
    {
        using var client = server.CreateClient();
        var id = (await client.SubmitWorkflowAsync(Workflows.SplitJoinYaml())).Id;
        await client.WaitForSubmissionAsync(id, Wait);
        var chain = (await client.ListProcessChainsAsync(submissionId: id, size: 1)).Items[0];

        var whole = await client.GetProcessChainLogAsync(chain.Id);
        Assert.NotNull(whole);
        Assert.False(whole.IsPartial);
        Assert.Equal(0, whole.Offset);
        Assert.Contains("join", whole.Text);
        Assert.True(whole.Length > 20, whole.Text);
        Assert.Equal(whole.Length, whole.TotalLength);

        var head = await client.GetProcessChainLogAsync(chain.Id, new RangeHeaderValue(0, 9));
        Assert.NotNull(head);
        Assert.True(head.IsPartial);
        Assert.Equal(0, head.Offset);
        Assert.Equal(10, head.Length);
        Assert.Equal(whole.Length, head.TotalLength);
        Assert.Equal(whole.Text[..10], head.Text);

        var tail = await client.GetProcessChainLogAsync(chain.Id, new RangeHeaderValue(null, 5));
        Assert.NotNull(tail);
        Assert.True(tail.IsPartial);
        Assert.Equal(whole.Length - 5, tail.Offset);
        Assert.Equal(whole.Text[^5..], tail.Text);

        var rest = await client.GetProcessChainLogAsync(chain.Id, new RangeHeaderValue(10, null));
        Assert.NotNull(rest);
        Assert.Equal(whole.Text[10..], rest.Text);

        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.GetProcessChainLogAsync(chain.Id, new RangeHeaderValue(whole.Length + 100, null)));
        Assert.Equal(HttpStatusCode.RequestedRangeNotSatisfiable, e.StatusCode);

        var two = new RangeHeaderValue(0, 1);
        two.Ranges.Add(new RangeItemHeaderValue(3, 4));
        await Assert.ThrowsAsync<ArgumentException>(() => client.GetProcessChainLogAsync(chain.Id, two));
    }

    [Fact]
    public async Task A_running_chain_is_cancelled()
    {
        using var client = server.CreateClient();
        var id = (await client.SubmitWorkflowAsync(Workflows.SleepYaml(60))).Id;
        var running = await SubmissionTests.WaitForRunningChainAsync(client, id);

        var answer = await client.CancelProcessChainAsync(running.Id);
        Assert.Equal(running.Id, answer.Id);
        Assert.Contains(answer.Status, new[] { ProcessChainStatus.Running, ProcessChainStatus.Cancelled });

        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        ProcessChain? chain;
        while ((chain = await client.GetProcessChainAsync(running.Id))?.Status != ProcessChainStatus.Cancelled && DateTime.UtcNow < until)
            await Task.Delay(50);
        Assert.Equal(ProcessChainStatus.Cancelled, chain?.Status);

        var submission = await client.WaitForSubmissionAsync(id, Wait);
        Assert.True(submission.IsFinal);
        Assert.Equal(1, submission.CancelledProcessChains);

        var log = await client.GetProcessChainLogAsync(running.Id);
        Assert.NotNull(log);
        Assert.Contains("cancelled", log.Text);
    }
}
