using Steep.Client.Models;

namespace Steep.Client.Tests;

/// <summary>Issue 15: the client reads Steep 6.9's submission and chain fields and changes priorities.</summary>
public sealed class Steep6FieldTests(SteepServer server) : IClassFixture<SteepServer>
{
    private const string Source = "api: 4.0.0\nname: nap time\npriority: 3\nvars:\n  - id: s\n    value: 30\nactions:\n  - type: execute\n    service: sleep\n    parameters:\n      - id: seconds\n        var: s\n";

    [Fact]
    public async Task Name_priority_source_runs_and_priority_changes()
    {
        using var client = server.CreateClient();
        var accepted = await client.SubmitWorkflowAsync(Source);
        Assert.Equal(("nap time", 3, Source), (accepted.Name, accepted.Priority, accepted.Source));
        try
        {
            var got = await client.GetSubmissionAsync(accepted.Id);
            Assert.Equal(Source, got!.Source);
            Assert.Equal(0, got.PausedProcessChains);
            var listed = (await client.ListSubmissionsAsync(size: 100)).Items.Single(s => s.Id == accepted.Id);
            Assert.Equal(("nap time", 3), (listed.Name, listed.Priority));
            Assert.Null(listed.Source);

            ProcessChain? chain = null;
            for (var deadline = DateTime.UtcNow.AddSeconds(30); chain is null && DateTime.UtcNow < deadline; await Task.Delay(100))
                chain = (await client.ListProcessChainsAsync(accepted.Id, ProcessChainStatus.Running)).Items.FirstOrDefault();
            Assert.NotNull(chain);
            Assert.Equal(3, chain.Priority);
            Assert.Equal((1, 1), (chain.RunNumber, chain.TotalRuns));
            Assert.False(string.IsNullOrEmpty(chain.AgentId));

            Assert.Equal(8, (await client.SetSubmissionPriorityAsync(accepted.Id, 8)).Priority);
            Assert.Equal(8, (await client.GetProcessChainAsync(chain.Id))!.Priority);
            Assert.Equal(-1, (await client.SetProcessChainPriorityAsync(chain.Id, -1)).Priority);
        }
        finally
        {
            await client.CancelSubmissionAsync(accepted.Id);
        }
        await client.WaitForSubmissionAsync(accepted.Id, TimeSpan.FromSeconds(30));
        var late = await Assert.ThrowsAsync<SteepApiException>(() => client.SetSubmissionPriorityAsync(accepted.Id, 1));
        Assert.Equal(422, (int)late.StatusCode);
    }

    [Fact]
    public async Task Service_metadata_is_read_in_camel_case()
    {
        using var client = server.CreateClient();
        var sleep = (await client.ListServicesAsync()).Single(s => s.Id == "sleep");
        Assert.Equal("integer", sleep.Parameters[0].DataType);
        Assert.NotNull(sleep.RequiredCapabilities);
    }
}
