using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

public sealed class WorkflowEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task PostYamlWithCurlsFormContentTypeIsAcceptedAndRunsToSuccess()
    {
        using var response = await Client.PostAsync("/workflows",
            new StringContent(ApiServer.SleepWorkflow(0), Encoding.UTF8, "application/x-www-form-urlencoded"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.StartsWith("application/json", response.Content.Headers.ContentType!.ToString());
        var submission = JsonNode.Parse(body)!.AsObject();
        var id = submission["id"]!.GetValue<string>();
        Assert.Equal("ACCEPTED", submission["status"]!.GetValue<string>());
        Assert.Equal("4.0.0", submission["workflow"]!["api"]!.GetValue<string>());
        Assert.Equal("execute", submission["workflow"]!["actions"]![0]!["type"]!.GetValue<string>());
        Assert.DoesNotContain("\"Type\"", body);
        Assert.Equal($"/workflows/{id}", response.Headers.Location!.ToString());

        var done = await server.WaitForEndAsync(id);
        Assert.Equal("SUCCESS", done["status"]!.GetValue<string>());
        Assert.Equal(1, done["succeededProcessChains"]!.GetValue<int>());
        Assert.NotNull(done["workflow"]);
        Assert.NotNull(done["startTime"]);
    }

    [Fact]
    public async Task PostJsonIsAccepted()
    {
        const string json = """
            {"api": "4.0.0", "vars": [{"id": "s", "value": 0}],
             "actions": [{"type": "execute", "service": "sleep", "parameters": [{"id": "seconds", "var": "s"}]}]}
            """;
        using var response = await Client.PostAsync("/workflows", ApiServer.Json(json));
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        Assert.Equal("SUCCESS", (await server.WaitForEndAsync(id))["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task PostWithoutContentTypeIsAccepted()
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ApiServer.SleepWorkflow(0)));
        using var response = await Client.PostAsync("/workflows", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Theory]
    [InlineData("application/octet-stream")]
    [InlineData("application/yaml")]
    [InlineData("text/x-yaml")]
    [InlineData("application/xml")]
    [InlineData("multipart/form-data; boundary=x")]
    [InlineData("text/plain; charset=utf-8")]
    public async Task AnyContentTypeIsReadAsTheWorkflow(string contentType)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(ApiServer.SleepWorkflow(0)));
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var response = await Client.PostAsync("/workflows", content);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);

        var id = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
        var put = new ByteArrayContent(Encoding.UTF8.GetBytes("""{"status":"CANCELLED"}"""));
        put.Headers.TryAddWithoutValidation("Content-Type", contentType);
        using var cancel = await Client.PutAsync($"/workflows/{id}", put);
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
    }

    public static TheoryData<string, string[]> BadWorkflows => new()
    {
        { "", ["empty"] },
        { "  \n\t\n", ["empty"] },
        { "api: 4.0.0\nvars: [\n  - id: x\nactions: []\n", ["line", "column", "YAML syntax error"] },
        { "api: 4.0.0\nactions:\n  - type: execute\n   service: sleep\n", ["line 4", "YAML syntax error"] },
        { "{\"api\": \"4.0.0\",\n \"actions\": [}", ["line 2", "column", "JSON syntax error"] },
        { "42", ["must be an object"] },
        { "[1, 2]", ["must be an object"] },
        { "- just\n- a list\n", ["must be an object"] },
        { "api: [1]\nactions: []", ["api"] },
        { "api: 4.0.0\nactions: 5", ["actions"] },
        { "api: 4.0.0\nvars: {a: 1}\nactions: []", ["vars"] },
        { "{\"api\": \"4.0.0\", \"actions\": [{\"type\": \"teleport\"}]}", ["teleport"] },
        { "{\"api\": \"4.0.0\", \"actions\": [{\"service\": \"sleep\"}]}", ["type"] },
        { "api: 4.0.0\nactions:\n  - type: execute\n    service: no-such-service\n", ["The workflow is invalid", "no-such-service"] },
        { "api: 4.0.0\nvars:\n  - id: a\n  - id: a\nactions:\n  - type: execute\n    service: nope\n", ["The workflow is invalid", "nope"] },
        { "api: 99.0.0\nactions: []", ["99.0.0"] },
    };

    [Theory]
    [MemberData(nameof(BadWorkflows))]
    public async Task BadWorkflowsGet400WithAMessageThatSaysWhy(string workflow, string[] expected)
    {
        using var response = await Client.PostAsync("/workflows", new StringContent(workflow, Encoding.UTF8, "application/x-www-form-urlencoded"));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        foreach (var e in expected) Assert.Contains(e, body, StringComparison.OrdinalIgnoreCase);
        AssertNoStackTrace(body);
    }

    [Fact]
    public async Task EveryValidationProblemIsOnALineOfItsOwn()
    {
        const string workflow = """
            api: 4.0.0
            vars:
              - id: s
            actions:
              - type: execute
                service: missing-one
              - type: execute
                service: missing-two
            """;
        using var response = await Client.PostAsync("/workflows", new StringContent(workflow));
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var lines = body.Split('\n');
        Assert.StartsWith("The workflow is invalid", lines[0]);
        Assert.Contains(lines, l => l.Contains("missing-one"));
        Assert.Contains(lines, l => l.Contains("missing-two") && !l.Contains("missing-one"));
    }

    [Fact]
    public async Task HostileYamlIsRejectedWithoutHurtingTheServer()
    {
        // "billion laughs": nine levels of nine aliases each would expand to 387 million values
        var laughs = new StringBuilder("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++) laughs.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n");
        var deep = "api: " + new string('[', 200_000);
        const string recursive = "api: &a [*a]\n";
        foreach (var (text, expected) in new[] { (laughs.ToString(), "aliases"), (deep, "nested"), (recursive, "") })
        {
            using var response = await Client.PostAsync("/workflows", new StringContent(text));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
            Assert.Contains(expected, body);
        }
        using var health = await Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task BodiesThatAreNotUtf8Get400()
    {
        var content = new ByteArrayContent([0x61, 0x70, 0x69, 0x3a, 0x20, 0xff, 0xfe, 0xc3]);
        using var response = await Client.PostAsync("/workflows", content);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task BodiesOverTenMebibytesGet413()
    {
        var big = "api: 4.0.0\n# " + new string('x', 10 * 1024 * 1024) + "\nactions: []\n";
        using (var response = await Client.PostAsync("/workflows", new StringContent(big)))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            Assert.Contains("10 MiB", await response.Content.ReadAsStringAsync());
        }
        // without a Content-Length (chunked) the limit holds while reading
        using (var response = await Client.PostAsync("/workflows", new UnknownLengthContent(Encoding.UTF8.GetBytes(big))))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        }
        // just under the limit is read (and then judged on its content)
        var fits = "api: 4.0.0\n# " + new string('x', 1024 * 1024) + "\nactions: []\n";
        using (var response = await Client.PostAsync("/workflows", new StringContent(fits)))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }
    }

    [Fact]
    public async Task UnknownSubmissionsAre404()
    {
        using var response = await Client.GetAsync("/workflows/no-such-id");
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no-such-id", await response.Content.ReadAsStringAsync());
        using var put = await Client.PutAsync("/workflows/no-such-id", ApiServer.Json("""{"status": "CANCELLED"}"""));
        Assert.Equal(HttpStatusCode.NotFound, put.StatusCode);
    }

    [Fact]
    public async Task GetByIdHasTheWholeSubmissionAndTheListLeavesOutWorkflowResultsAndErrors()
    {
        var id = (await server.SubmitAsync(ApiServer.FailWorkflow))["id"]!.GetValue<string>();
        var full = await server.WaitForEndAsync(id);
        Assert.Equal("ERROR", full["status"]!.GetValue<string>());
        Assert.NotNull(full["workflow"]);
        Assert.NotNull(full["errorMessage"]);
        foreach (var field in new[] { "id", "status", "requiredCapabilities", "runningProcessChains", "cancelledProcessChains",
                     "succeededProcessChains", "failedProcessChains", "totalProcessChains", "startTime", "endTime" })
            Assert.True(full.ContainsKey(field), field);

        using var response = await Client.GetAsync("/workflows?size=100");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var item = list.Single(s => s!["id"]!.GetValue<string>() == id)!.AsObject();
        Assert.False(item.ContainsKey("workflow"));
        Assert.False(item.ContainsKey("results"));
        Assert.False(item.ContainsKey("errorMessage"));
        Assert.Equal("ERROR", item["status"]!.GetValue<string>());
        Assert.Equal(1, item["failedProcessChains"]!.GetValue<int>());
    }

    [Fact]
    public async Task CancellingARunningSubmissionKillsItsChains()
    {
        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(60)))["id"]!.GetValue<string>();
        await server.WaitForChainAsync(id, "RUNNING");

        using var response = await Client.PutAsync($"/workflows/{id}", ApiServer.Json("""{"status": "CANCELLED"}"""));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var returned = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(id, returned["id"]!.GetValue<string>());
        Assert.Equal("CANCELLED", returned["status"]!.GetValue<string>());

        var started = DateTime.UtcNow;
        var done = await server.WaitForEndAsync(id, timeoutSeconds: 15);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(10), "the sleep was not killed promptly");
        Assert.Equal("CANCELLED", done["status"]!.GetValue<string>());
        Assert.Equal(0, done["runningProcessChains"]!.GetValue<int>());
        Assert.Equal(1, done["cancelledProcessChains"]!.GetValue<int>());
        var chains = await server.GetArrayAsync($"/processchains?submissionId={id}");
        Assert.All(chains, c => Assert.Equal("CANCELLED", c!["status"]!.GetValue<string>()));

        // cancelling again changes nothing and is not an error
        using var again = await Client.PutAsync($"/workflows/{id}", ApiServer.Json("""{"status": "CANCELLED"}"""));
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    public static TheoryData<string?, string> BadUpdates => new()
    {
        { null, "empty" },
        { "", "empty" },
        { "not json", "not valid JSON" },
        { "{\"status\": ", "not valid JSON" },
        { "[]", "JSON object" },
        { "\"CANCELLED\"", "JSON object" },
        { "{}", "no 'status'" },
        { "{\"status\": 5}", "must be a string" },
        { "{\"status\": null}", "must be a string" },
        { "{\"status\": \"RUNNING\"}", "only CANCELLED" },
        { "{\"status\": \"SUCCESS\"}", "only CANCELLED" },
    };

    [Theory]
    [MemberData(nameof(BadUpdates))]
    public async Task BadUpdatesGet400(string? body, string expected)
    {
        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(0)))["id"]!.GetValue<string>();
        using var response = await Client.PutAsync($"/workflows/{id}", body is null ? null : ApiServer.Json(body));
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(expected, text);
        AssertNoStackTrace(text);
    }

    internal static void AssertNoStackTrace(string body)
    {
        Assert.DoesNotContain("   at ", body);
        Assert.DoesNotContain("Exception", body);
    }

    /// <summary>Content whose length is not known up front, so it goes out chunked.</summary>
    private sealed class UnknownLengthContent(byte[] data) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => stream.WriteAsync(data).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
