using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Steep.Dashboard.Tests.Support;

namespace Steep.Dashboard.Tests;

/// <summary>The endpoints the dashboard added to the API (POST /validate, GET /workflows/{id}/graph) over plain HTTP.</summary>
[Collection(DashboardCollection.Name)]
public sealed class ApiAdditionsTests(ServerFixture server)
{
    private async Task<(HttpStatusCode, JsonNode)> ValidateAsync(string text)
    {
        using var r = await server.Http.PostAsync("/validate", new StringContent(text, Encoding.UTF8, "application/yaml"));
        return (r.StatusCode, JsonNode.Parse(await r.Content.ReadAsStringAsync())!);
    }

    [Fact]
    public async Task Validate_answers_the_problems_without_submitting()
    {
        var before = (await server.GetJsonAsync("/workflows?size=1000")).AsArray().Count;
        var (ok, good) = await ValidateAsync(Workflows.Sleep(1));
        Assert.Equal(HttpStatusCode.OK, ok);
        Assert.True(good["valid"]!.GetValue<bool>());
        Assert.Empty(good["problems"]!.AsArray());

        var (bad, problems) = await ValidateAsync(Workflows.Sleep(1).Replace("service: sleep", "service: nope"));
        Assert.Equal(HttpStatusCode.BadRequest, bad);
        Assert.False(problems["valid"]!.GetValue<bool>());
        Assert.Contains("unknown service 'nope'", problems["problems"]![0]!.GetValue<string>());

        var (syntax, yaml) = await ValidateAsync("api: [4.0.0");
        Assert.Equal(HttpStatusCode.BadRequest, syntax);
        Assert.Matches(@"line \d+, column \d+", yaml["problems"]![0]!.GetValue<string>());

        var (empty, _) = await ValidateAsync("  ");
        Assert.Equal(HttpStatusCode.BadRequest, empty);
        Assert.Equal(before, (await server.GetJsonAsync("/workflows?size=1000")).AsArray().Count);
    }

    [Fact]
    public async Task Graph_has_every_chain_the_edges_and_a_304_once_finished()
    {
        var id = await server.SubmitAsync(Workflows.SplitJoin);
        await server.WaitForAsync($"/workflows/{id}", s => s["status"]!.GetValue<string>() == "SUCCESS");
        using var first = await server.Http.GetAsync($"/workflows/{id}/graph");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var graph = JsonNode.Parse(await first.Content.ReadAsStringAsync())!;
        var ids = graph["ids"]!.AsArray().Select(x => graph["idPrefix"]!.GetValue<string>() + x!.GetValue<string>()).ToList();
        var chains = (await server.GetJsonAsync($"/processchains?submissionId={id}&size=100")).AsArray();
        Assert.Equal(chains.Select(c => c!["id"]!.GetValue<string>()).Order(), ids.Order());
        Assert.Equal(8, graph["edges"]!.AsArray().Count); // four edges, two indexes each
        Assert.All(graph["status"]!.AsArray(), s => Assert.Equal("SUCCESS", graph["statuses"]![s!.GetValue<int>()]!.GetValue<string>()));
        // every chain that ran has an agent and a start; list items carry the agent too
        Assert.All(graph["agent"]!.AsArray(), a => Assert.True(a!.GetValue<int>() >= 0));
        Assert.All(chains, c => Assert.NotNull(c!["agentId"]));

        var etag = first.Headers.ETag;
        Assert.NotNull(etag);
        using var again = new HttpRequestMessage(HttpMethod.Get, $"/workflows/{id}/graph");
        again.Headers.IfNoneMatch.Add(etag);
        using var second = await server.Http.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, second.StatusCode);

        using var unknown = await server.Http.GetAsync("/workflows/nope/graph");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Assets_are_cached_for_good_and_the_page_is_revalidated()
    {
        using var html = new HttpRequestMessage(HttpMethod.Get, "/");
        html.Headers.Accept.ParseAdd("text/html,application/xhtml+xml");
        using var page = await server.Http.SendAsync(html);
        var text = await page.Content.ReadAsStringAsync();
        Assert.Contains("no-cache", page.Headers.CacheControl!.ToString());
        Assert.Contains("Accept", page.Headers.Vary);
        var script = System.Text.RegularExpressions.Regex.Match(text, "src=\"\\./(assets/[^\"]+\\.js)\"").Groups[1].Value;
        Assert.NotEmpty(script);
        using var js = await server.Http.GetAsync("/" + script);
        Assert.Equal(HttpStatusCode.OK, js.StatusCode);
        Assert.Equal("text/javascript", js.Content.Headers.ContentType?.MediaType);
        Assert.Contains("immutable", js.Headers.CacheControl!.ToString());
        using var missing = await server.Http.GetAsync("/assets/nope.js");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
