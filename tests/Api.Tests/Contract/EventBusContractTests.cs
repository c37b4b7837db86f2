using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests.Contract;

/// <summary>Issue 15: <c>/eventbus</c> speaks SockJS and the Vert.x event bus bridge the way Steep's web UI expects.</summary>
public sealed class EventBusContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    private const string ChainStatusChanged = "steep.submissionRegistry.processChainStatusChanged";
    private const string SubmissionStatusChanged = "steep.submissionRegistry.submissionStatusChanged";
    private const string SubmissionAdded = "steep.submissionRegistry.submissionAdded";
    private const string ChainsAddedSize = "steep.submissionRegistry.processChainsAddedSize";
    private const string AgentBusy = "steep.remoteAgentRegistry.agentBusy";

    /// <summary>Vert.x sends no acknowledgement of a register: a refused one after it shows it has been handled.</summary>
    private static async Task SyncAsync(SockJsBridgeClient client, CancellationToken ct)
    {
        await client.RegisterAsync("steep.not.permitted", ct);
        var err = await client.ReceiveUntilAsync(m => m["type"]!.GetValue<string>() == "err", ct);
        Assert.Equal("access_denied", err["body"]!.GetValue<string>());
    }

    [Fact]
    public async Task InfoSaysWebsocketsWork()
    {
        using var r = await server.Client.GetAsync("/eventbus/info?t=1");
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.ToString());
        var info = JsonNode.Parse(await r.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(info["websocket"]!.GetValue<bool>());
        Assert.False(info["cookie_needed"]!.GetValue<bool>());
        Assert.Equal("*:*", info["origins"]![0]!.GetValue<string>());
        Assert.Equal("Number", info["entropy"]!.GetValueKind().ToString());
        Assert.Contains("no-store", r.Headers.CacheControl!.ToString());
    }

    [Fact]
    public async Task AWebsocketClientReceivesChainStatusChangesWithTheirPreviousStatus()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var client = await SockJsBridgeClient.ConnectAsync(server.BaseAddress, ct);
        foreach (var address in new[] { ChainStatusChanged, SubmissionStatusChanged, SubmissionAdded, ChainsAddedSize, AgentBusy })
            await client.RegisterAsync(address, ct);
        await client.SendAsync(ct, new JsonObject { ["type"] = "ping" });
        await SyncAsync(client, ct);

        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow("over the bridge")))["id"]!.GetValue<string>();

        bool ForThis(JsonObject m) => m["body"] is JsonObject b && (b["submissionId"]?.GetValue<string>() == id || b["id"]?.GetValue<string>() == id);
        var added = await client.ReceiveUntilAsync(m => m["address"]!.GetValue<string>() == SubmissionAdded && ForThis(m), ct);
        Assert.Equal("rec", added["type"]!.GetValue<string>());
        Assert.Equal("ACCEPTED", added["body"]!["status"]!.GetValue<string>());
        Assert.Null(added["body"]!["workflow"]);

        var size = await client.ReceiveUntilAsync(m => m["address"]!.GetValue<string>() == ChainsAddedSize && ForThis(m), ct);
        Assert.Equal(1, size["body"]!["processChainsSize"]!.GetValue<int>());
        Assert.Equal("REGISTERED", size["body"]!["status"]!.GetValue<string>());

        var running = await client.ReceiveUntilAsync(m => m["address"]!.GetValue<string>() == ChainStatusChanged && ForThis(m), ct);
        var body = running["body"]!.AsObject();
        Assert.Equal("RUNNING", body["status"]!.GetValue<string>());
        Assert.Equal("REGISTERED", body["previousStatus"]!.GetValue<string>());
        var chainId = body["processChainId"]!.GetValue<string>();
        Assert.Equal(chainId, (await server.GetArrayAsync($"/processchains?submissionId={id}"))[0]!["id"]!.GetValue<string>());

        var success = await client.ReceiveUntilAsync(m => m["address"]!.GetValue<string>() == ChainStatusChanged && ForThis(m), ct);
        Assert.Equal("SUCCESS", success["body"]!["status"]!.GetValue<string>());
        Assert.Equal("RUNNING", success["body"]!["previousStatus"]!.GetValue<string>());
        Assert.Equal(chainId, success["body"]!["processChainId"]!.GetValue<string>());

        var done = await client.ReceiveUntilAsync(m => m["address"]!.GetValue<string>() == SubmissionStatusChanged && ForThis(m)
            && m["body"]!["status"]!.GetValue<string>() == "SUCCESS", ct);
        Assert.Equal(["submissionId", "status"], done["body"]!.AsObject().Select(p => p.Key));
        // the agent that ran it said so on the agents' address (id, processChainId, stateChangedTime)
        Assert.Contains(client.Frames, f => f.Contains(AgentBusy, StringComparison.Ordinal) && f.Contains(chainId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnregisteredAddressesAreNotSentAndInboundTrafficIsDenied()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ct = timeout.Token;
        await using var client = await SockJsBridgeClient.ConnectAsync(server.BaseAddress, ct);
        await client.RegisterAsync(ChainStatusChanged, ct);
        await client.SendAsync(ct, new JsonObject { ["type"] = "unregister", ["address"] = ChainStatusChanged });
        await client.SendAsync(ct, new JsonObject { ["type"] = "publish", ["address"] = ChainStatusChanged, ["body"] = "x" });
        var denied = await client.ReceiveAsync(ct);
        Assert.Equal("err", denied["type"]!.GetValue<string>());
        Assert.Equal("access_denied", denied["body"]!.GetValue<string>());
        await client.SendAsync(ct, new JsonObject { ["address"] = ChainStatusChanged });
        Assert.Equal("missing_type", (await client.ReceiveAsync(ct))["body"]!.GetValue<string>());

        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow("nobody listens")))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(id);
        await SyncAsync(client, ct);
        Assert.DoesNotContain(client.Frames, f => f.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task XhrStreamingAndXhrSendCarryTheBridgeToo()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        const string base_ = "/eventbus/456/xhrsess1";
        using var stream = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Post, base_ + "/xhr_streaming"),
            HttpCompletionOption.ResponseHeadersRead, ct);
        Assert.Equal(HttpStatusCode.OK, stream.StatusCode);
        Assert.Equal("application/javascript", stream.Content.Headers.ContentType!.MediaType);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync(ct));
        Assert.Equal(new string('h', 2048), await reader.ReadLineAsync(ct));
        Assert.Equal("o", await reader.ReadLineAsync(ct));

        var register = new JsonArray(
            (JsonNode)new JsonObject { ["type"] = "register", ["address"] = SubmissionStatusChanged }.ToJsonString(),
            (JsonNode)new JsonObject { ["type"] = "register", ["address"] = "steep.not.permitted" }.ToJsonString()).ToJsonString();
        using (var send = await server.Client.PostAsync(base_ + "/xhr_send", new StringContent(register, Encoding.UTF8, "text/plain"), ct))
            Assert.Equal(HttpStatusCode.NoContent, send.StatusCode);
        Assert.Contains("access_denied", await reader.ReadLineAsync(ct));

        var id = (await server.SubmitAsync(ApiServer.EchoWorkflow("streamed")))["id"]!.GetValue<string>();
        while (true)
        {
            var line = await reader.ReadLineAsync(ct);
            Assert.NotNull(line);
            if (line == "h" || !line.Contains(id, StringComparison.Ordinal)) continue;
            Assert.StartsWith("a[", line);
            var message = JsonNode.Parse(JsonNode.Parse(line[1..])![0]!.GetValue<string>())!;
            Assert.Equal(SubmissionStatusChanged, message["address"]!.GetValue<string>());
            break;
        }

        using var unknown = await server.Client.PostAsync("/eventbus/456/nosuchsession/xhr_send", new StringContent("[]"), ct);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var broken = await server.Client.PostAsync(base_ + "/xhr_send", new StringContent("[{"), ct);
        Assert.Equal(HttpStatusCode.InternalServerError, broken.StatusCode);
        Assert.Equal("Broken JSON encoding.", await broken.Content.ReadAsStringAsync(ct));
    }

    [Fact]
    public async Task PriorityChangesAreAnnounced()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var ct = timeout.Token;
        await using var client = await SockJsBridgeClient.ConnectAsync(server.BaseAddress, ct);
        foreach (var address in new[] { "steep.submissionRegistry.submissionPriorityChanged", "steep.submissionRegistry.processChainAllPriorityChanged",
                     "steep.submissionRegistry.processChainPriorityChanged" })
            await client.RegisterAsync(address, ct);
        await SyncAsync(client, ct);

        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(30)))["id"]!.GetValue<string>();
        var chainId = (await server.WaitForChainAsync(id, "RUNNING"))["id"]!.GetValue<string>();
        try
        {
            using (var put = await server.Client.PutAsync($"/workflows/{id}", ApiServer.Json("""{"priority": 4}"""), ct)) Assert.True(put.IsSuccessStatusCode);
            var s = await client.ReceiveAsync(ct);
            Assert.Equal("steep.submissionRegistry.submissionPriorityChanged", s["address"]!.GetValue<string>());
            Assert.Equal("""{"submissionId":"ID","priority":4}""".Replace("ID", id), s["body"]!.ToJsonString());
            var all = await client.ReceiveAsync(ct);
            Assert.Equal("steep.submissionRegistry.processChainAllPriorityChanged", all["address"]!.GetValue<string>());

            using (var put = await server.Client.PutAsync($"/processchains/{chainId}", ApiServer.Json("""{"priority": 6}"""), ct)) Assert.True(put.IsSuccessStatusCode);
            var c = await client.ReceiveAsync(ct);
            Assert.Equal("steep.submissionRegistry.processChainPriorityChanged", c["address"]!.GetValue<string>());
            Assert.Equal("""{"processChainId":"ID","priority":6}""".Replace("ID", chainId), c["body"]!.ToJsonString());
        }
        finally
        {
            using var cancel = await server.Client.PutAsync($"/workflows/{id}", ApiServer.Json("""{"status": "CANCELLED"}"""), CancellationToken.None);
        }
    }
}
