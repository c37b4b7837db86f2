using System.Net;
using Steep.Client.Models;

namespace Steep.Client.Tests;

/// <summary>Submitting, getting, listing, waiting for and cancelling submissions on a real gateway.</summary>
public sealed class SubmissionTests(SteepServer server) : IClassFixture<SteepServer>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_YAML_workflow_runs_to_success()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SleepYaml(0));
        Assert.False(string.IsNullOrEmpty(accepted.Id));
        Assert.Contains(accepted.Status, new[] { SubmissionStatus.Accepted, SubmissionStatus.Running, SubmissionStatus.Success });

        var done = await client.WaitForSubmissionAsync(accepted.Id, Wait);
        Assert.Equal(SubmissionStatus.Success, done.Status);
        Assert.True(done.IsFinal);
        Assert.Equal(1, done.TotalProcessChains);
        Assert.Equal(1, done.SucceededProcessChains);
        Assert.Equal(0, done.RunningProcessChains);
        Assert.NotNull(done.StartTime);
        Assert.NotNull(done.EndTime);

        var got = await client.GetSubmissionAsync(accepted.Id);
        Assert.NotNull(got);
        Assert.NotNull(got.Workflow);
        var action = Assert.IsType<ExecuteAction>(Assert.Single(got.Workflow.Actions));
        Assert.Equal("sleep", action.Service);
        Assert.Equal("sleep_seconds", Assert.Single(action.Parameters).Var);
        Assert.Equal(0, got.Workflow.Vars.Single(v => v.Id == "sleep_seconds").Value!.GetValue<int>());
    }

    [Fact]
    public async Task A_JSON_workflow_text_runs_to_success()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SleepJson(0));
        var done = await client.WaitForSubmissionAsync(accepted.Id, Wait);
        Assert.Equal(SubmissionStatus.Success, done.Status);
    }

    [Fact]
    public async Task A_workflow_built_in_code_runs_to_success()
    {
        using var client = server.CreateClient();
        var workflow = new Workflow
        {
            Api = "4.0.0",
            Name = "built in code",
            Vars = [new Variable { Id = "s", Value = 0 }],
            Actions = [new ExecuteAction { Id = "nap", Service = "sleep", Parameters = [new InputParameter { Id = "seconds", Var = "s" }] }],
        };
        var accepted = await client.SubmitWorkflowAsync(workflow);
        Assert.Equal("built in code", accepted.Workflow?.Name);
        var done = await client.WaitForSubmissionAsync(accepted.Id, Wait);
        Assert.Equal(SubmissionStatus.Success, done.Status);
        Assert.Equal("nap", done.Workflow?.Actions.Single().Id);
    }

    [Fact]
    public async Task An_unknown_service_is_a_400_with_the_servers_message()
    {
        using var client = server.CreateClient();
        var yaml = Workflows.SleepYaml(0).Replace("service: sleep", "service: no_such_service");
        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.SubmitWorkflowAsync(yaml));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("POST", e.Method);
        Assert.Contains("no_such_service", e.ServerMessage);
        Assert.Contains("no_such_service", e.Message);
    }

    [Theory]
    [InlineData("actions: [ {")]                     // broken YAML
    [InlineData("{\"api\": \"4.0.0\", \"actions\": [")] // broken JSON
    [InlineData("   ")]                               // empty
    [InlineData("api: 4.0.0\nactions:\n  - type: jump\n")] // unknown action type
    public async Task Unreadable_workflows_are_400s_with_a_message(string text)
    {
        using var client = server.CreateClient();
        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.SubmitWorkflowAsync(text));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.False(string.IsNullOrWhiteSpace(e.ServerMessage));
        Assert.DoesNotContain("   at ", e.ServerMessage); // no stack trace
    }

    [Fact]
    public async Task An_unknown_id_is_null_for_get_and_404_for_cancel_and_wait()
    {
        using var client = server.CreateClient();
        Assert.Null(await client.GetSubmissionAsync("no-such-submission"));
        var cancel = await Assert.ThrowsAsync<SteepApiException>(() => client.CancelSubmissionAsync("no-such-submission"));
        Assert.Equal(HttpStatusCode.NotFound, cancel.StatusCode);
        Assert.Contains("no-such-submission", cancel.ServerMessage);
        var wait = await Assert.ThrowsAsync<SteepApiException>(() => client.WaitForSubmissionAsync("no-such-submission", Wait));
        Assert.Equal(HttpStatusCode.NotFound, wait.StatusCode);
    }

    [Fact]
    public async Task A_60_second_sleep_is_cancelled()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SleepYaml(60));
        await WaitForRunningChainAsync(client, accepted.Id);

        var afterCancel = await client.CancelSubmissionAsync(accepted.Id);
        Assert.Equal(accepted.Id, afterCancel.Id);

        var done = await client.WaitForSubmissionAsync(accepted.Id, TimeSpan.FromSeconds(20));
        Assert.Equal(SubmissionStatus.Cancelled, done.Status);
        Assert.Equal(1, done.CancelledProcessChains);
        Assert.Equal(0, done.RunningProcessChains);
        var chains = await client.ListProcessChainsAsync(submissionId: accepted.Id);
        Assert.Equal(ProcessChainStatus.Cancelled, Assert.Single(chains.Items).Status);

        // cancelling again changes nothing
        Assert.Equal(SubmissionStatus.Cancelled, (await client.CancelSubmissionAsync(accepted.Id)).Status);
    }

    [Fact]
    public async Task Waiting_longer_than_the_timeout_throws_TimeoutException_and_caller_cancellation_throws_OperationCanceled()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Workflows.SleepYaml(60));
        try
        {
            var e = await Assert.ThrowsAsync<TimeoutException>(() => client.WaitForSubmissionAsync(accepted.Id, TimeSpan.FromMilliseconds(500)));
            Assert.Contains(accepted.Id, e.Message);
            using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.WaitForSubmissionAsync(accepted.Id, cancellationToken: cts.Token));
        }
        finally
        {
            await client.CancelSubmissionAsync(accepted.Id);
        }
    }

    [Fact]
    public async Task Lists_are_paged_newest_first_with_the_page_headers()
    {
        using var client = server.CreateClient();
        var ids = new List<string>();
        for (int i = 0; i < 3; i++) ids.Add((await client.SubmitWorkflowAsync(Workflows.SleepYaml(0))).Id);
        foreach (var id in ids) await client.WaitForSubmissionAsync(id, Wait);

        var first = await client.ListSubmissionsAsync(offset: 0, size: 2);
        Assert.Equal(0, first.Offset);
        Assert.Equal(2, first.Size);
        Assert.Equal(2, first.Items.Count);
        Assert.True(first.Total >= 3);
        Assert.True(first.HasMore);
        Assert.Equal(2, first.NextOffset);
        // newest first: the last two submissions of this test, in reverse order
        Assert.Equal([ids[2], ids[1]], first.Items.Select(s => s.Id).ToArray());
        Assert.All(first.Items, s =>
        {
            Assert.Null(s.Workflow);
            Assert.Null(s.Results);
            Assert.Null(s.ErrorMessage);
        });

        var second = await client.ListSubmissionsAsync(offset: 2, size: 2);
        Assert.Equal(2, second.Offset);
        Assert.Equal(first.Total, second.Total);
        Assert.Equal(ids[0], second.Items[0].Id);
        Assert.Empty(first.Items.Select(s => s.Id).Intersect(second.Items.Select(s => s.Id)));

        var defaults = await client.ListSubmissionsAsync();
        Assert.Equal(10, defaults.Size);
        Assert.Equal(0, defaults.Offset);

        var beyond = await client.ListSubmissionsAsync(offset: first.Total + 10, size: 5);
        Assert.Empty(beyond.Items);
        Assert.Equal(first.Total, beyond.Total);
        Assert.False(beyond.HasMore);
    }

    [Fact]
    public async Task Lists_filter_by_status()
    {
        using var client = server.CreateClient();
        var id = (await client.SubmitWorkflowAsync(Workflows.SleepYaml(0))).Id;
        await client.WaitForSubmissionAsync(id, Wait);

        var success = await client.ListSubmissionsAsync(size: 100, status: SubmissionStatus.Success);
        Assert.Contains(success.Items, s => s.Id == id);
        Assert.All(success.Items, s => Assert.Equal(SubmissionStatus.Success, s.Status));
        var error = await client.ListSubmissionsAsync(size: 100, status: SubmissionStatus.Error);
        Assert.DoesNotContain(error.Items, s => s.Id == id);
        Assert.Equal(error.Items.Count, error.Total);

        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.ListSubmissionsAsync(status: "DONE"));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("SUCCESS", e.ServerMessage); // names the valid values
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ListSubmissionsAsync(offset: -1));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.ListSubmissionsAsync(size: -1));
    }

    internal static async Task<ProcessChain> WaitForRunningChainAsync(SteepClient client, string submissionId)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var page = await client.ListProcessChainsAsync(submissionId: submissionId, status: ProcessChainStatus.Running);
            if (page.Items.Count > 0) return page.Items[0];
            if (DateTime.UtcNow > until) throw new TimeoutException($"no process chain of {submissionId} started running");
            await Task.Delay(50);
        }
    }
}
