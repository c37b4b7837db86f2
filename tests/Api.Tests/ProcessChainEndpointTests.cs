using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

public sealed class ProcessChainEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task AChainByIdHasExecutablesResultsTimesAndAgent()
    {
        var input = server.Dir.Write("input.txt", "some data\n");
        var workflow = $$"""
            {"api": "4.0.0",
             "vars": [{"id": "in", "value": {{System.Text.Json.JsonSerializer.Serialize(input)}}}, {"id": "out"}],
             "actions": [{"type": "execute", "service": "copy",
                          "inputs": [{"id": "input_file", "var": "in"}], "outputs": [{"id": "output_file", "var": "out"}]}]}
            """;
        var id = (await server.SubmitAsync(workflow))["id"]!.GetValue<string>();
        var submission = await server.WaitForEndAsync(id);
        Assert.Equal("SUCCESS", submission["status"]!.GetValue<string>());

        var chainId = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>();
        var chain = await server.GetJsonAsync($"/processchains/{chainId}");
        Assert.Equal(chainId, chain["id"]!.GetValue<string>());
        Assert.Equal(id, chain["submissionId"]!.GetValue<string>());
        Assert.Equal("SUCCESS", chain["status"]!.GetValue<string>());
        Assert.NotNull(chain["startTime"]);
        Assert.NotNull(chain["endTime"]);
        Assert.NotNull(chain["requiredCapabilities"]);
        Assert.Equal(1, chain["totalRuns"]!.GetValue<int>());
        Assert.NotNull(chain["agentId"]);
        var exe = chain["executables"]!.AsArray().Single()!;
        Assert.Equal("copy", exe["serviceId"]!.GetValue<string>());
        Assert.Equal("cp", exe["path"]!.GetValue<string>());
        var output = chain["results"]!["out"]!.AsArray().Single()!.GetValue<string>();
        Assert.Equal("some data\n", File.ReadAllText(output));
        Assert.Equal(output, submission["results"]!["out"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task AFailedChainHasItsErrorMessage()
    {
        var id = (await server.SubmitAsync(ApiServer.FailWorkflow))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        var chainId = (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>();
        var chain = await server.GetJsonAsync($"/processchains/{chainId}");
        Assert.Equal("ERROR", chain["status"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(chain["errorMessage"]!.GetValue<string>()));
    }

    [Fact]
    public async Task CancellingARunningChainKillsIt()
    {
        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(60)))["id"]!.GetValue<string>();
        var chainId = (await server.WaitForChainAsync(id, "RUNNING"))["id"]!.GetValue<string>();

        using var response = await Client.PutAsync($"/processchains/{chainId}", ApiServer.Json("""{"status":"CANCELLED"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        // the answer comes once the agent has killed the process
        Assert.Equal(chainId, JsonNode.Parse(body)!["id"]!.GetValue<string>());
        Assert.Equal("CANCELLED", JsonNode.Parse(body)!["status"]!.GetValue<string>());
        Assert.Equal("CANCELLED", (await server.GetJsonAsync($"/processchains/{chainId}"))["status"]!.GetValue<string>());

        var submission = await server.WaitForEndAsync(id);
        Assert.Equal(1, submission["cancelledProcessChains"]!.GetValue<int>());
    }

    [Fact]
    public async Task UnknownChainsAre404()
    {
        using var get = await Client.GetAsync("/processchains/nope");
        Assert.Equal(HttpStatusCode.NotFound, get.StatusCode);
        Assert.Contains("nope", await get.Content.ReadAsStringAsync());
        using var put = await Client.PutAsync("/processchains/nope", ApiServer.Json("""{"status":"CANCELLED"}"""));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Theory]
    [InlineData("""{"status":"REGISTERED"}""", "only CANCELLED")]
    [InlineData("""{"state":"CANCELLED"}""", "no 'status'")]
    [InlineData("""{"status":["CANCELLED"]}""", "must be a string")]
    [InlineData("<status>CANCELLED</status>", "not valid JSON")]
    public async Task BadChainUpdatesGet400(string body, string expected)
    {
        using var response = await Client.PutAsync("/processchains/whatever", ApiServer.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(expected, text);
    }
}
