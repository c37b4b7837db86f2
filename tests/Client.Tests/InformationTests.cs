using System.Net;
using Steep.Client.Models;

namespace Steep.Client.Tests;

/// <summary>Version, health, agents, services, VMs and metrics from a real gateway.</summary>
public sealed class InformationTests(SteepServer server) : IClassFixture<SteepServer>
{
    [Fact]
    public async Task Version_has_a_version_number()
    {
        using var client = server.CreateClient();
        var version = await client.GetVersionAsync();
        Assert.False(string.IsNullOrWhiteSpace(version.Version));
        Assert.False(string.IsNullOrWhiteSpace(version.Commit));
        Assert.False(string.IsNullOrWhiteSpace(version.Build));
    }

    [Fact]
    public async Task Health_is_reported_with_its_parts()
    {
        using var client = server.CreateClient();
        var health = await client.GetHealthAsync();
        Assert.True(health.Healthy);
        Assert.NotEmpty(health.Parts);
        Assert.All(health.Parts, p => Assert.True(p.Healthy, p.Name));
    }

    [Fact]
    public async Task Agents_are_listed_and_found_by_id()
    {
        using var client = server.CreateClient();
        var agents = await client.ListAgentsAsync();
        Assert.Equal(2, agents.Count);
        Assert.Equal(2, agents.Select(a => a.Id).Distinct().Count());
        Assert.All(agents, a => Assert.True(a.StartTime > DateTimeOffset.UnixEpoch && a.StateChangedTime >= a.StartTime));

        var one = await client.GetAgentAsync(agents[0].Id);
        Assert.NotNull(one);
        Assert.Equal(agents[0].Id, one.Id);
        Assert.Null(await client.GetAgentAsync("no-such-agent"));
    }

    [Fact]
    public async Task Services_are_listed_and_found_by_id()
    {
        using var client = server.CreateClient();
        var services = await client.ListServicesAsync();
        Assert.Equal(["copy", "join", "sleep"], services.Select(s => s.Id).Order().ToArray());

        var sleep = await client.GetServiceAsync("sleep");
        Assert.NotNull(sleep);
        Assert.Equal("sleep", sleep.Path);
        Assert.Equal("other", sleep.Runtime);
        var seconds = Assert.Single(sleep.Parameters);
        Assert.Equal("seconds", seconds.Id);
        Assert.Equal("argument", seconds.Type);
        Assert.Equal("1..1", seconds.Cardinality);
        Assert.Equal("integer", seconds.DataType);

        var join = await client.GetServiceAsync("join");
        Assert.NotNull(join);
        Assert.Equal("1..n", join.Parameters.Single(p => p.Id == "i").Cardinality);

        Assert.Null(await client.GetServiceAsync("no-such-service"));
        Assert.Null(await client.GetServiceAsync("with/slash?and=query"));
    }

    [Fact]
    public async Task Vms_are_an_empty_page_without_a_cloud_manager()
    {
        using var client = server.CreateClient();
        var page = await client.ListVmsAsync(size: 5);
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        Assert.Equal(5, page.Size);
        Assert.Equal(0, page.Offset);
        Assert.Null(await client.GetVmAsync("no-such-vm"));

        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.ListVmsAsync(status: "SLEEPING"));
        Assert.Equal(HttpStatusCode.BadRequest, e.StatusCode);
        Assert.Contains("status", e.ServerMessage);
    }

    [Fact]
    public async Task Metrics_are_Prometheus_text()
    {
        using var client = server.CreateClient();
        var text = await client.GetMetricsTextAsync();
        Assert.Contains("# TYPE ", text);
        Assert.Contains("# HELP ", text);
    }

    [Fact]
    public async Task A_shared_HttpClient_with_a_base_address_is_used_and_not_disposed()
    {
        using var http = new HttpClient { BaseAddress = server.BaseAddress };
        using (var client = new SteepClient(http))
        {
            Assert.True((await client.GetHealthAsync()).Healthy);
        }
        using var again = await http.GetAsync("health"); // still usable
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
    }

    [Fact]
    public async Task A_disposed_client_refuses_requests()
    {
        var client = server.CreateClient();
        client.Dispose();
        client.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.GetVersionAsync());
    }

    [Fact]
    public async Task An_unreachable_server_is_a_network_error_not_an_api_error()
    {
        using var client = new SteepClient(new Uri("http://127.0.0.1:1/"));
        await Assert.ThrowsAsync<HttpRequestException>(() => client.GetVersionAsync());
    }

    [Fact]
    public async Task A_path_that_is_not_the_api_gives_an_api_error()
    {
        // a base address with a path prefix the server does not serve: every request is 404
        using var client = new SteepClient(new Uri(server.BaseAddress, "not-steep"));
        Assert.Equal(new Uri(server.BaseAddress, "not-steep/"), client.BaseAddress);
        var e = await Assert.ThrowsAsync<SteepApiException>(() => client.GetVersionAsync());
        Assert.Equal(HttpStatusCode.NotFound, e.StatusCode);
        Assert.Null(await client.GetSubmissionAsync("x"));
    }
}
