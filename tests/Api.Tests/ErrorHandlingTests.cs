using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Logging;
using Steep.Api.Tests.Support;
using Steep.Core.Models;
using Steep.Contracts;
using Steep.Grains;
using Steep.Persistence;
using Steep.Silo.Hosting;

namespace Steep.Api.Tests;

/// <summary>What clients see when the server itself fails: a generic 500 (or 503 for health), never a stack trace.</summary>
public sealed class ErrorHandlingTests
{
    /// <summary>An instance whose every part throws.</summary>
    private sealed class BrokenInstance : ISteepInstance
    {
        private static InvalidOperationException Boom() => new("secret internal detail");

        public ISubmissionStore Submissions => throw Boom();
        public IProcessChainStore ProcessChains => throw Boom();
        public Persistence.Search.IRegistrySearch Search => throw Boom();
        public IReadOnlyList<Service> ServiceMetadata => throw Boom();
        public string LogDirectory => throw Boom();
        public SteepVersion Version => throw Boom();
        public Task<Submission> SubmitAsync(Workflow workflow, string? source, CancellationToken ct) => throw Boom();
        public Task<PriorityChange> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct) => throw Boom();
        public Task<PriorityChange> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) => throw Boom();
        public Task<bool> CancelAsync(string submissionId, CancellationToken ct) => throw Boom();
        public Task<bool> CancelProcessChainAsync(string processChainId, CancellationToken ct) => throw Boom();
        public Task<IReadOnlyList<AgentInfo>> GetAgentsAsync(CancellationToken ct) => throw Boom();
        public Task<IReadOnlyList<HealthPart>> CheckHealthAsync(CancellationToken ct) => throw Boom();
        public Subscription SubscribeEvents() => new EventHub().Subscribe();
    }

    private static void Quiet(Microsoft.AspNetCore.Builder.WebApplicationBuilder b)
    {
        b.WebHost.UseTestServer();
        b.Logging.ClearProviders(); // the expected failures are logged with their stack traces
    }

    [Theory]
    [InlineData("GET", "/")]
    [InlineData("GET", "/workflows")]
    [InlineData("GET", "/workflows/x")]
    [InlineData("POST", "/workflows")]
    [InlineData("PUT", "/workflows/x")]
    [InlineData("GET", "/processchains/x")]
    [InlineData("GET", "/agents")]
    [InlineData("GET", "/services")]
    [InlineData("GET", "/metrics")]
    [InlineData("GET", "/logs/processchains/x")]
    [InlineData("GET", "/processchains/x/runs")]
    [InlineData("GET", "/search?q=x")]
    public async Task UnexpectedFailuresAreAGeneric500(string method, string path)
    {
        await using var app = SteepWebServer.Create(new BrokenInstance(), null, null, Quiet);
        await app.StartAsync();
        using var client = app.GetTestClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method != "GET") request.Content = new StringContent(method == "PUT" ? """{"status":"CANCELLED"}""" : ApiServer.SleepWorkflow(1));
        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("Internal server error", body);
        Assert.DoesNotContain("secret internal detail", body);
        WorkflowEndpointTests.AssertNoStackTrace(body);
        await app.StopAsync();
    }

    [Fact]
    public async Task HealthIs503WhenTheInstanceFails()
    {
        await using var app = SteepWebServer.Create(new BrokenInstance(), null, null, Quiet);
        await app.StartAsync();
        using var client = app.GetTestClient();
        using var response = await client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.False(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["health"]!.GetValue<bool>());
        await app.StopAsync();
    }

    [Fact]
    public async Task HealthIs503WhenTheStoreAndRuntimeAreGone()
    {
        var server = new ApiServer();
        await server.InitializeAsync();
        try
        {
            using (var ok = await server.Client.GetAsync("/health")) Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            await server.Host.DisposeAsync(); // the store is closed and the runtime stopped; the web server still runs
            using var response = await server.Client.GetAsync("/health");
            var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.False(health["health"]!.GetValue<bool>());
            Assert.False(health["store"]!["health"]!.GetValue<bool>());
            Assert.False(health["runtime"]!["health"]!.GetValue<bool>());
            Assert.NotNull(health["store"]!["message"]);
        }
        finally
        {
            await server.DisposeAsync();
        }
    }
}
