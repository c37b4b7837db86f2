using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

public sealed class EventsEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    [Fact]
    public async Task EventsArriveAsServerSentEventsAndTheStreamEndsWithTheClient()
    {
        int before = server.Instance.OpenSubscriptions;
        using var request = new HttpRequestMessage(HttpMethod.Get, "/events");
        using var response = await server.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("no-cache", response.Headers.CacheControl!.ToString());
        var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        Assert.Equal(": connected", await reader.ReadLineAsync(timeout.Token));
        Assert.Equal(before + 1, server.Instance.OpenSubscriptions);

        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(0)))["id"]!.GetValue<string>();
        var seen = new HashSet<string>();
        bool keepAlive = false;
        JsonObject? success = null;
        string? eventName = null;
        while (success is null || !keepAlive)
        {
            var line = await reader.ReadLineAsync(timeout.Token);
            Assert.NotNull(line);
            if (line == ": keep-alive") keepAlive = true;
            else if (line.StartsWith("event: ", StringComparison.Ordinal)) eventName = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                Assert.NotNull(eventName);
                var data = JsonNode.Parse(line[6..])!.AsObject();
                seen.Add(eventName);
                if (eventName == "submission" && data["id"]!.GetValue<string>() == id && data["status"]!.GetValue<string>() == "SUCCESS")
                    success = data;
                if (eventName == "processChain") Assert.Equal(id, data["submissionId"]!.GetValue<string>());
                eventName = null;
            }
            else Assert.Equal("", line);
        }
        Assert.Equal(1, success["succeededProcessChains"]!.GetValue<int>());
        Assert.Contains("processChain", seen);
        Assert.Contains("agent", seen);

        // the client goes away: the server ends the stream and lets go of its subscription
        reader.Dispose();
        response.Dispose();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Instance.OpenSubscriptions != before)
        {
            Assert.True(DateTime.UtcNow < deadline, "the event stream did not end when the client left");
            await Task.Delay(50);
        }
    }
}
