using System.Net;
using System.Net.Http.Headers;
using Steep.Client.Models;

namespace Steep.Client.Tests.Offline;

/// <summary>What the client sends and how it reads answers, with a fake handler (no server).</summary>
public sealed class ClientRequestTests
{
    private static (SteepClient Client, FakeHandler Handler) Create(Func<HttpRequestMessage, HttpResponseMessage> answer, string? token = null,
        string baseAddress = "http://steep.example:8080/prefix")
    {
        var handler = new FakeHandler(answer);
        return (new SteepClient(new HttpClient(handler), new Uri(baseAddress), token), handler);
    }

    [Fact]
    public async Task Paths_queries_and_the_token_are_sent()
    {
        var (client, handler) = Create(r => FakeHandler.Text(HttpStatusCode.OK,
            r.RequestUri!.AbsolutePath.StartsWith("/prefix/workflows/") ? "{}" : "[]", "application/json"), token: "t0k");
        await client.ListProcessChainsAsync(submissionId: "a b/c", status: "RUNNING", offset: 5, size: 7);
        Assert.Equal("http://steep.example:8080/prefix/processchains?submissionId=a%20b%2Fc&status=RUNNING&offset=5&size=7",
            handler.LastRequest!.RequestUri!.AbsoluteUri);
        Assert.Equal(new AuthenticationHeaderValue("Bearer", "t0k"), handler.LastRequest.Headers.Authorization);

        await client.ListSubmissionsAsync();
        Assert.Equal("/prefix/workflows?offset=0", handler.LastRequest.RequestUri!.PathAndQuery);

        await client.GetSubmissionAsync("x/../y");
        Assert.Equal("/prefix/workflows/x%2F..%2Fy", handler.LastRequest.RequestUri!.PathAndQuery);
    }

    [Fact]
    public async Task Cancel_puts_the_status()
    {
        var (client, handler) = Create(_ => FakeHandler.Text(HttpStatusCode.OK, """{"id":"s","status":"CANCELLED"}""", "application/json"));
        var s = await client.CancelSubmissionAsync("s");
        Assert.Equal(HttpMethod.Put, handler.LastRequest!.Method);
        Assert.Equal("""{"status":"CANCELLED"}""", handler.LastBody);
        Assert.Equal("application/json", handler.LastRequest.Content!.Headers.ContentType!.MediaType);
        Assert.Equal(SubmissionStatus.Cancelled, s.Status);
    }

    [Fact]
    public async Task Workflow_text_is_sent_as_JSON_or_YAML()
    {
        var (client, handler) = Create(_ => FakeHandler.Text(HttpStatusCode.Accepted, """{"id":"s","status":"ACCEPTED"}""", "application/json"));
        await client.SubmitWorkflowAsync("  {\"api\":\"4.0.0\"}");
        Assert.Equal("application/json", handler.LastRequest!.Content!.Headers.ContentType!.MediaType);
        await client.SubmitWorkflowAsync("api: 4.0.0");
        Assert.Equal("application/yaml", handler.LastRequest!.Content!.Headers.ContentType!.MediaType);
        Assert.Equal("api: 4.0.0", handler.LastBody);
        await client.SubmitWorkflowAsync(new Workflow { Api = "4.0.0" });
        Assert.Equal("""{"api":"4.0.0","vars":[],"actions":[]}""", handler.LastBody);
    }

    [Fact]
    public async Task Error_statuses_become_SteepApiException_with_the_servers_message()
    {
        var (client, _) = Create(_ => FakeHandler.Text(HttpStatusCode.BadRequest, "The workflow is invalid:\nactions[0]: unknown service 'x'\n"));
        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.SubmitWorkflowAsync("api: 4.0.0"));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Equal("The workflow is invalid:\nactions[0]: unknown service 'x'", e.ServerMessage);
        Assert.Equal("POST", e.Method);
        Assert.StartsWith("POST /prefix/workflows: 400 BadRequest: The workflow is invalid", e.Message);

        var (empty, _) = Create(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError) { ReasonPhrase = "Boom" });
        var e500 = await Assert.ThrowsAsync<SteepApiException>(() => empty.GetSubmissionAsync("x"));
        Assert.Equal(HttpStatusCode.InternalServerError, e500.StatusCode);
        Assert.Equal("Boom", e500.ServerMessage);
    }

    [Fact]
    public async Task An_unreadable_body_is_a_SteepApiException()
    {
        var (client, _) = Create(_ => FakeHandler.Text(HttpStatusCode.OK, "<html>proxy</html>", "text/html"));
        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.GetVersionAsync());
        Assert.Equal(HttpStatusCode.OK, e.StatusCode);
        Assert.IsAssignableFrom<System.Text.Json.JsonException>(e.InnerException);
    }

    [Fact]
    public async Task Page_headers_are_read_and_missing_ones_fall_back_to_the_request()
    {
        var (client, _) = Create(_ =>
        {
            var r = FakeHandler.Text(HttpStatusCode.OK, """[{"id":"a","status":"RUNNING"}]""", "application/json");
            r.Headers.Add("x-page-size", "1");
            r.Headers.Add("x-page-offset", "3");
            r.Headers.Add("x-page-total", "9");
            return r;
        });
        var page = await client.ListSubmissionsAsync(offset: 3, size: 1);
        Assert.Equal((1, 3, 9, true, 4), (page.Size, page.Offset, page.Total, page.HasMore, page.NextOffset));

        var (bare, _) = Create(_ => FakeHandler.Text(HttpStatusCode.OK, """[{"id":"a"},{"id":"b"}]""", "application/json"));
        var fallback = await bare.ListSubmissionsAsync(offset: 4, size: 5);
        Assert.Equal((5, 4, 6), (fallback.Size, fallback.Offset, fallback.Total));
    }

    [Fact]
    public async Task Health_503_is_a_report_not_an_exception()
    {
        var (client, _) = Create(_ => FakeHandler.Text(HttpStatusCode.ServiceUnavailable,
            """{"health":false,"store":{"health":false,"message":"disk full"},"agents":{"health":true,"count":2}}""", "application/json"));
        var health = await client.GetHealthAsync();
        Assert.False(health.Healthy);
        Assert.Equal([new HealthPart("store", false, null, "disk full"), new HealthPart("agents", true, 2, null)], health.Parts);
    }

    [Fact]
    public async Task A_log_range_is_sent_and_the_content_range_read()
    {
        var (client, handler) = Create(_ =>
        {
            var r = new HttpResponseMessage(HttpStatusCode.PartialContent) { Content = new ByteArrayContent("lo w"u8.ToArray()) };
            r.Content.Headers.ContentRange = new ContentRangeHeaderValue(3, 6, 11);
            return r;
        });
        var log = await client.GetProcessChainLogAsync("c", new RangeHeaderValue(3, 6));
        Assert.Equal("bytes=3-6", handler.LastRequest!.Headers.Range!.ToString());
        Assert.Equal(new ProcessChainLog("lo w", 3, 4, 11, true), log);
    }

    [Fact]
    public void A_shared_HttpClient_needs_a_base_address()
    {
        Assert.Throws<ArgumentException>(() => new SteepClient(new HttpClient()));
        using var http = new HttpClient { BaseAddress = new Uri("http://h:1") };
        Assert.Equal(new Uri("http://h:1/"), new SteepClient(http).BaseAddress);
    }
}
