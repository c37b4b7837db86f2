using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

/// <summary>Paging headers, order and filters of the list endpoints, on a server of its own (the counts are exact).</summary>
public sealed class PagingTests(PagingTests.Server server) : IClassFixture<PagingTests.Server>
{
    /// <summary>Three successful submissions and one failed one, all finished.</summary>
    public sealed class Server : ApiServer
    {
        public List<string> Ids { get; } = [];

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            foreach (var w in new[] { SleepWorkflow(0), SleepWorkflow(0), FailWorkflow, SleepWorkflow(0) })
                Ids.Add((await SubmitAsync(w))["id"]!.GetValue<string>());
            foreach (var id in Ids) await WaitForEndAsync(id);
        }
    }

    private HttpClient Client => server.Client;

    private async Task<(JsonArray Items, HttpResponseMessage Response)> ListAsync(string path)
    {
        var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {body}");
        return (JsonNode.Parse(body)!.AsArray(), response);
    }

    private static string Header(HttpResponseMessage r, string name) => Assert.Single(r.Headers.GetValues(name));

    [Fact]
    public async Task SubmissionsComeNewestFirstWithPageHeaders()
    {
        var (all, r) = await ListAsync("/workflows");
        Assert.Equal("10", Header(r, "x-page-size"));
        Assert.Equal("0", Header(r, "x-page-offset"));
        Assert.Equal("4", Header(r, "x-page-total"));
        Assert.Equal(Enumerable.Reverse(server.Ids), all.Select(s => s!["id"]!.GetValue<string>()));

        var (first, r1) = await ListAsync("/workflows?size=2&offset=0");
        Assert.Equal(2, first.Count);
        Assert.Equal("2", Header(r1, "x-page-size"));
        Assert.Equal("4", Header(r1, "x-page-total"));
        Assert.Equal(server.Ids[3], first[0]!["id"]!.GetValue<string>());

        var (second, r2) = await ListAsync("/workflows?size=2&offset=2");
        Assert.Equal("2", Header(r2, "x-page-offset"));
        Assert.Equal([server.Ids[1], server.Ids[0]], second.Select(s => s!["id"]!.GetValue<string>()));

        var (beyond, r3) = await ListAsync("/workflows?offset=4");
        Assert.Empty(beyond);
        Assert.Equal("4", Header(r3, "x-page-total"));

        var (none, r4) = await ListAsync("/workflows?size=0");
        Assert.Empty(none);
        Assert.Equal("4", Header(r4, "x-page-total"));

        var (huge, _) = await ListAsync($"/workflows?size={int.MaxValue}&offset=1");
        Assert.Equal(3, huge.Count);
        var (far, _) = await ListAsync($"/workflows?offset={int.MaxValue}");
        Assert.Empty(far);
    }

    [Fact]
    public async Task SubmissionsFilterByStatus()
    {
        var (errors, r) = await ListAsync("/workflows?status=ERROR");
        Assert.Equal("1", Header(r, "x-page-total"));
        Assert.Equal(server.Ids[2], Assert.Single(errors)!["id"]!.GetValue<string>());

        var (successes, r2) = await ListAsync("/workflows?status=success&size=1");
        Assert.Single(successes);
        Assert.Equal("3", Header(r2, "x-page-total"));

        var (running, r3) = await ListAsync("/workflows?status=RUNNING");
        Assert.Empty(running);
        Assert.Equal("0", Header(r3, "x-page-total"));
    }

    [Fact]
    public async Task ProcessChainsPageAndFilter()
    {
        var (all, r) = await ListAsync("/processchains");
        Assert.Equal("4", Header(r, "x-page-total"));
        Assert.Equal(server.Ids[3], all[0]!["submissionId"]!.GetValue<string>());
        Assert.All(all, c =>
        {
            Assert.False(c!.AsObject().ContainsKey("executables"));
            Assert.False(c.AsObject().ContainsKey("results"));
            Assert.False(c.AsObject().ContainsKey("errorMessage"));
            foreach (var f in new[] { "id", "submissionId", "status", "startTime", "endTime", "requiredCapabilities" })
                Assert.True(c.AsObject().ContainsKey(f), f);
        });

        var (ofOne, r1) = await ListAsync($"/processchains?submissionId={server.Ids[2]}");
        Assert.Equal("1", Header(r1, "x-page-total"));
        Assert.Equal("ERROR", Assert.Single(ofOne)!["status"]!.GetValue<string>());

        var (ok, r2) = await ListAsync("/processchains?status=SUCCESS&size=2&offset=1");
        Assert.Equal(2, ok.Count);
        Assert.Equal("3", Header(r2, "x-page-total"));
        Assert.Equal("1", Header(r2, "x-page-offset"));

        var (mixed, r3) = await ListAsync($"/processchains?submissionId={server.Ids[2]}&status=SUCCESS");
        Assert.Empty(mixed);
        Assert.Equal("0", Header(r3, "x-page-total"));

        var (unknown, r4) = await ListAsync("/processchains?submissionId=nobody");
        Assert.Empty(unknown);
        Assert.Equal("0", Header(r4, "x-page-total"));
    }

    [Fact]
    public async Task VmsAreAnEmptyPage()
    {
        var (vms, r) = await ListAsync("/vms");
        Assert.Empty(vms);
        Assert.Equal("0", Header(r, "x-page-total"));
        using var one = await Client.GetAsync("/vms/some-vm");
        Assert.Equal(HttpStatusCode.NotFound, one.StatusCode);
        Assert.Contains("some-vm", await one.Content.ReadAsStringAsync());
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "/workflows?size=abc", "'size'" },
        { "/workflows?size=", "'size'" },
        { "/workflows?size=-1", "'size'" },
        { "/workflows?size=1.5", "'size'" },
        { "/workflows?size=99999999999999999999", "'size'" },
        { "/workflows?size=2147483648", "'size'" },
        { "/workflows?size=1&size=2", "'size'" },
        { "/workflows?size=%20%2B3", "'size'" },
        { "/workflows?offset=-5", "'offset'" },
        { "/workflows?offset=0x10", "'offset'" },
        { "/workflows?status=DONE", "ACCEPTED, RUNNING" },
        { "/workflows?status=", "'status'" },
        { "/workflows?status=REGISTERED", "'status'" },
        { "/processchains?status=ACCEPTED", "REGISTERED" },
        { "/processchains?size=-3", "'size'" },
        { "/processchains?offset=1e3", "'offset'" },
        { "/processchains?submissionId=", "'submissionId'" },
        { "/vms?size=x", "'size'" },
        { "/vms?status=HAPPY", "'status'" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task BadQueryParametersGet400NamingTheParameter(string path, string expected)
    {
        using var response = await Client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {body}");
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.ToString());
        Assert.Contains(expected, body);
        WorkflowEndpointTests.AssertNoStackTrace(body);
    }
}
