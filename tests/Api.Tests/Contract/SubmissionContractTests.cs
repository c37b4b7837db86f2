using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests.Contract;

/// <summary>Issue 15: submission and process chain fields with Steep 6.9's names and meaning; priority updates.</summary>
public sealed class SubmissionContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    // CRLF, a comment, trailing blanks and non-ASCII: the source must come back exactly as sent
    private const string Source = "api: 4.0.0\r\nname: \"Gro\u00dfe Welt \u2014 \U0001D11E\"   \r\npriority: 7\r\n# keep me\r\nvars:\r\n  - id: s\r\n    value: 30\r\nactions:\r\n  - type: execute\r\n    service: sleep\r\n    parameters:\r\n      - id: seconds\r\n        var: s\r\n";

    private async Task<(HttpResponseMessage Response, JsonObject Body)> PostAsync(string workflow)
    {
        var r = await server.Client.PostAsync("/workflows", new ByteArrayContent(Encoding.UTF8.GetBytes(workflow)));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, body);
        return (r, JsonNode.Parse(body)!.AsObject());
    }

    private async Task<HttpResponseMessage> PutAsync(string path, string json) => await server.Client.PutAsync(path, ApiServer.Json(json));

    [Fact]
    public async Task SubmissionsCarryNameTopLevelPrioritySourceAndPausedCount()
    {
        var (_, accepted) = await PostAsync(Source);
        var id = accepted["id"]!.GetValue<string>();
        Assert.Equal("Gro\u00dfe Welt \u2014 \U0001D11E", accepted["name"]!.GetValue<string>());
        Assert.Equal(7, accepted["priority"]!.GetValue<int>());
        Assert.Equal(Source, accepted["source"]!.GetValue<string>());

        var one = await server.GetJsonAsync($"/workflows/{id}");
        Assert.Equal("Gro\u00dfe Welt \u2014 \U0001D11E", one["name"]!.GetValue<string>());
        Assert.Equal(7, one["priority"]!.GetValue<int>());
        Assert.Equal(Source, one["source"]!.GetValue<string>());
        Assert.NotNull(one["workflow"]);
        foreach (var count in new[] { "runningProcessChains", "pausedProcessChains", "cancelledProcessChains",
                     "succeededProcessChains", "failedProcessChains", "totalProcessChains" })
            Assert.Equal("Number", JsonValueKind(one[count]));

        var listed = (await server.GetArrayAsync("/workflows?size=100")).Single(s => s!["id"]!.GetValue<string>() == id)!.AsObject();
        Assert.Equal("Gro\u00dfe Welt \u2014 \U0001D11E", listed["name"]!.GetValue<string>());
        Assert.Equal(7, listed["priority"]!.GetValue<int>());
        Assert.Equal(0, listed["pausedProcessChains"]!.GetValue<int>());
        Assert.False(listed.ContainsKey("workflow"));
        Assert.False(listed.ContainsKey("source"));

        // the chain takes the submission's priority
        var chain = await server.WaitForChainAsync(id, "RUNNING");
        Assert.Equal(7, chain["priority"]!.GetValue<int>());
        using var cancel = await PutAsync($"/workflows/{id}", """{"status": "CANCELLED"}""");
        var cancelled = JsonNode.Parse(await cancel.Content.ReadAsStringAsync())!.AsObject();
        Assert.False(cancelled.ContainsKey("workflow"));
        Assert.Equal(Source, cancelled["source"]!.GetValue<string>());
    }

    private static string JsonValueKind(JsonNode? n) => n!.GetValueKind().ToString();

    [Fact]
    public async Task TheDefaultPriorityIsLeftOutAsSteepWritesIt()
    {
        var (_, accepted) = await PostAsync(ApiServer.EchoWorkflow("hi"));
        var id = accepted["id"]!.GetValue<string>();
        Assert.False(accepted.ContainsKey("priority"));
        Assert.False(accepted.ContainsKey("name"));
        var done = await server.WaitForEndAsync(id);
        Assert.False(done.ContainsKey("priority"));
        var chain = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!.AsObject();
        Assert.False(chain.ContainsKey("priority"));
    }

    [Fact]
    public async Task ChainsShowTheirAgentRunNumberAndTotalRuns()
    {
        var (_, accepted) = await PostAsync(ApiServer.EchoWorkflow("runs"));
        var id = accepted["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var listed = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!.AsObject();
        var full = await server.GetJsonAsync($"/processchains/{listed["id"]!.GetValue<string>()}");
        foreach (var c in new[] { listed, full })
        {
            Assert.False(string.IsNullOrEmpty(c["agentId"]!.GetValue<string>()));
            Assert.Equal(1, c["runNumber"]!.GetValue<int>());
            Assert.Equal(1, c["totalRuns"]!.GetValue<int>());
        }
        Assert.False(listed.ContainsKey("executables"));
        Assert.True(full.ContainsKey("executables"));
    }

    [Fact]
    public async Task PutChangesThePriorityOfARunningSubmissionAndChainAndRefusesFinishedOnes()
    {
        var (_, accepted) = await PostAsync(ApiServer.SleepWorkflow(30));
        var id = accepted["id"]!.GetValue<string>();
        var chainId = (await server.WaitForChainAsync(id, "RUNNING"))["id"]!.GetValue<string>();

        using (var put = await PutAsync($"/workflows/{id}", """{"priority": 5}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            Assert.Equal("application/json", put.Content.Headers.ContentType!.ToString());
            var s = JsonNode.Parse(await put.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(5, s["priority"]!.GetValue<int>());
            Assert.Equal("RUNNING", s["status"]!.GetValue<string>());
            Assert.False(s.ContainsKey("workflow"));
        }
        Assert.Equal(5, (await server.GetJsonAsync($"/workflows/{id}"))["priority"]!.GetValue<int>());
        Assert.Equal(5, (await server.GetJsonAsync($"/processchains/{chainId}"))["priority"]!.GetValue<int>());

        using (var put = await PutAsync($"/processchains/{chainId}", """{"priority": -2}"""))
        {
            Assert.Equal(HttpStatusCode.OK, put.StatusCode);
            var c = JsonNode.Parse(await put.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(-2, c["priority"]!.GetValue<int>());
            Assert.False(c.ContainsKey("executables"));
        }
        Assert.Equal(-2, (await server.GetJsonAsync($"/processchains/{chainId}"))["priority"]!.GetValue<int>());

        using (var bad = await PutAsync($"/processchains/{chainId}", """{"priority": "high"}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("'priority' must be an integer", await bad.Content.ReadAsStringAsync());
        }
        using (var bad = await PutAsync($"/workflows/{id}", """{}"""))
        {
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Contains("'priority'", await bad.Content.ReadAsStringAsync());
        }

        using (var cancel = await PutAsync($"/workflows/{id}", """{"status": "CANCELLED"}""")) Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await server.WaitForEndAsync(id);
        using (var late = await PutAsync($"/workflows/{id}", """{"priority": 9}"""))
        {
            Assert.Equal((HttpStatusCode)422, late.StatusCode);
            Assert.Equal("text/plain", late.Content.Headers.ContentType!.ToString());
            Assert.Contains("Cannot change priority of a finished submission", await late.Content.ReadAsStringAsync());
        }
        using (var late = await PutAsync($"/processchains/{chainId}", """{"priority": 9}"""))
        {
            Assert.Equal((HttpStatusCode)422, late.StatusCode);
            Assert.Contains("Cannot change priority of a finished process chain", await late.Content.ReadAsStringAsync());
        }
        Assert.Equal(5, (await server.GetJsonAsync($"/workflows/{id}"))["priority"]!.GetValue<int>());
        using var unknown = await PutAsync("/processchains/nope", """{"priority": 1}""");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task PausedIsAValidChainStatusFilter()
    {
        using var r = await server.Client.GetAsync("/processchains?status=PAUSED");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("0", r.Headers.GetValues("x-page-total").Single());
    }
}
