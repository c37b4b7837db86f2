using System.Net;
using System.Text;

namespace Steep.Api.Tests.Contract;

/// <summary>Issue 15: content types exactly as Steep 6.9 writes them, and HEAD on every GET route.</summary>
public sealed class HeaderContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    public static TheoryData<string> JsonGets => new()
    {
        "/", "/health", "/workflows", "/processchains", "/agents", "/services", "/services/sleep", "/vms", "/openapi/v1.json",
    };

    [Theory]
    [MemberData(nameof(JsonGets))]
    public async Task JsonResponsesSayApplicationJsonExactly(string path)
    {
        using var r = await server.Client.GetAsync(path);
        Assert.Equal(HttpStatusCode.OK, r.StatusCode);
        Assert.Equal("application/json", r.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task SubmissionsAndUpdatesSayApplicationJsonExactly()
    {
        using var post = await server.Client.PostAsync("/workflows", new StringContent(Support.ApiServer.SleepWorkflow(30), Encoding.UTF8, "application/x-www-form-urlencoded"));
        Assert.Equal(HttpStatusCode.Accepted, post.StatusCode);
        Assert.Equal("application/json", post.Content.Headers.ContentType!.ToString());
        var id = System.Text.Json.Nodes.JsonNode.Parse(await post.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        using var get = await server.Client.GetAsync($"/workflows/{id}");
        Assert.Equal("application/json", get.Content.Headers.ContentType!.ToString());
        using var put = await server.Client.PutAsync($"/workflows/{id}", Support.ApiServer.Json("""{"status": "CANCELLED"}"""));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("application/json", put.Content.Headers.ContentType!.ToString());
    }

    [Fact]
    public async Task ErrorsArePlainTextAsSteepWritesThem()
    {
        using var r = await server.Client.GetAsync("/workflows/nope");
        Assert.Equal(HttpStatusCode.NotFound, r.StatusCode);
        Assert.Equal("text/plain", r.Content.Headers.ContentType!.ToString());
    }

    public static TheoryData<string> Gets => new()
    {
        "/", "/health", "/workflows", "/processchains", "/agents", "/services", "/services/sleep", "/vms", "/metrics",
        "/openapi/v1.json", "/workflows/unknown", "/eventbus/info",
    };

    [Theory]
    [MemberData(nameof(Gets))]
    public async Task HeadAnswersEveryGetWithItsHeadersAndLength(string path)
    {
        using var get = await server.Client.GetAsync(path);
        var body = await get.Content.ReadAsByteArrayAsync();
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, path));
        Assert.Equal(get.StatusCode, head.StatusCode);
        Assert.Equal(get.Content.Headers.ContentType?.MediaType, head.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        // dynamic documents (metrics, entropy) may differ by a few bytes between two requests; the rest match exactly
        if (path is "/metrics" or "/eventbus/info" or "/health") Assert.True(head.Content.Headers.ContentLength > 0);
        else Assert.Equal(body.Length, head.Content.Headers.ContentLength);
    }

    [Fact]
    public async Task HeadOnTheEventStreamAnswersAtOnce()
    {
        using var head = await server.Client.SendAsync(new HttpRequestMessage(HttpMethod.Head, "/events"));
        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Equal("text/event-stream", head.Content.Headers.ContentType!.MediaType);
    }
}
