using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

/// <summary>Steep 6's <c>GET /search</c> through the API on a real host (SQLite): terms, locators, types, filters, paging, errors.</summary>
public sealed class SearchEndpointTests(SearchEndpointTests.Fixture server) : IClassFixture<SearchEndpointTests.Fixture>
{
    /// <summary>A host with a named succeeded workflow and a failed one, both finished.</summary>
    public sealed class Fixture : ApiServer
    {
        public string Named { get; private set; } = "";
        public string Failed { get; private set; } = "";
        public string NamedChain { get; private set; } = "";
        public string FailedChain { get; private set; } = "";

        public override async Task InitializeAsync()
        {
            await base.InitializeAsync();
            Named = (await SubmitAsync("""
                {"api": "4.0.0", "name": "Needle in a Haystack", "vars": [{"id": "t", "value": "hi"}],
                 "actions": [{"type": "execute", "service": "echo", "parameters": [{"id": "text", "var": "t"}]}]}
                """))["id"]!.GetValue<string>();
            Failed = (await SubmitAsync(FailWorkflow))["id"]!.GetValue<string>();
            await WaitForEndAsync(Named);
            await WaitForEndAsync(Failed);
            NamedChain = (await GetArrayAsync($"/processchains?submissionId={Named}"))[0]!["id"]!.GetValue<string>();
            FailedChain = (await GetArrayAsync($"/processchains?submissionId={Failed}"))[0]!["id"]!.GetValue<string>();
        }
    }

    private async Task<(JsonObject Body, HttpResponseMessage Response)> SearchAsync(string q, string extra = "")
    {
        var response = await server.Client.GetAsync($"/search?q={Uri.EscapeDataString(q)}{extra}");
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        return (JsonNode.Parse(body)!.AsObject(), response);
    }

    private static string[] Ids(JsonObject body) => body["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToArray();

    [Fact]
    public async Task A_term_finds_a_workflow_by_its_name_and_shows_where()
    {
        var (body, response) = await SearchAsync("haystack");
        var result = Assert.Single(body["results"]!.AsArray())!;
        Assert.Equal((server.Named, "workflow", "Needle in a Haystack", "SUCCESS"),
            (result["id"]!.GetValue<string>(), result["type"]!.GetValue<string>(), result["name"]!.GetValue<string>(), result["status"]!.GetValue<string>()));
        Assert.NotNull(result["startTime"]);
        Assert.NotNull(result["endTime"]);
        // found in the name and in the workflow's source
        Assert.Equal(["name", "source"], result["matches"]!.AsArray().Select(m => m!["locator"]!.GetValue<string>()).Order());
        var match = result["matches"]!.AsArray().Single(m => m!["locator"]!.GetValue<string>() == "name")!;
        Assert.Equal(("name", "Needle in a Haystack"), (match["locator"]!.GetValue<string>(), match["fragment"]!.GetValue<string>()));
        var term = Assert.Single(match["termMatches"]!.AsArray())!;
        Assert.Equal(("haystack", 12), (term["term"]!.GetValue<string>(), term["indices"]![0]!.GetValue<int>()));
        Assert.Equal((1, 0, 1), (body["counts"]!["workflow"]!.GetValue<int>(), body["counts"]!["processChain"]!.GetValue<int>(), body["counts"]!["total"]!.GetValue<int>()));
        Assert.Equal("1", response.Headers.GetValues("x-page-total").Single());
        Assert.Equal("10", response.Headers.GetValues("x-page-size").Single());
    }

    [Fact]
    public async Task Types_filters_and_locators_narrow_the_search()
    {
        // is: and status:
        Assert.Equal([server.FailedChain], Ids((await SearchAsync("is:processchain status:error")).Body));
        Assert.Equal([server.Failed], Ids((await SearchAsync("is:workflow status:error")).Body));
        Assert.Equal([server.Failed, server.FailedChain], Ids((await SearchAsync("error")).Body).Where(i => i == server.Failed || i == server.FailedChain));
        // id: and in:id
        Assert.Equal([server.NamedChain], Ids((await SearchAsync($"id:{server.NamedChain}")).Body));
        Assert.Equal([server.NamedChain], Ids((await SearchAsync($"{server.NamedChain[2..]} in:id")).Body));
        // name: and in:name
        Assert.Equal([server.Named], Ids((await SearchAsync("name:needle")).Body));
        Assert.Empty(Ids((await SearchAsync("needle in:error")).Body));
        // error: (the failed chain says how it failed)
        var chain = await server.GetJsonAsync($"/processchains/{server.FailedChain}");
        var word = chain["errorMessage"]!.GetValue<string>().Split(' ', StringSplitOptions.RemoveEmptyEntries).First(w => w.Length >= 4);
        Assert.Contains(server.FailedChain, Ids((await SearchAsync($"error:\"{word}\" is:processchain")).Body));
        // start: today finds both chains, a date long ago none
        var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var started = Ids((await SearchAsync($"start:{today} is:processchain", "&timeZone=UTC")).Body);
        Assert.Contains(server.NamedChain, started);
        Assert.Contains(server.FailedChain, started);
        Assert.Empty(Ids((await SearchAsync("start:<1999-01-01")).Body));
        // rcs: these services require nothing
        Assert.Empty(Ids((await SearchAsync("rcs:gpu")).Body));
    }

    [Fact]
    public async Task Pages_and_counts_follow_size_offset_and_count()
    {
        var all = await SearchAsync("status:success");
        int total = all.Body["counts"]!["total"]!.GetValue<int>();
        Assert.True(total >= 2);
        var second = await SearchAsync("status:success", "&size=1&offset=1");
        Assert.Equal([Ids(all.Body)[1]], Ids(second.Body));
        var uncounted = await SearchAsync("status:success", "&count=none&size=1");
        Assert.Null(uncounted.Body["counts"]);
        Assert.False(uncounted.Response.Headers.Contains("x-page-total"));
        Assert.Single(Ids(uncounted.Body));
    }

    [Theory]
    [InlineData("q=is:thing", "is:workflow or is:processchain")]
    [InlineData("q=in:nowhere", "Unknown attribute in 'in:nowhere'")]
    [InlineData("q=%22open", "not closed")]
    [InlineData("q=start:yesterday", "needs a date")]
    [InlineData("q=x&count=lots", "none, estimate or exact")]
    [InlineData("q=x&timeZone=Mars/Olympus", "Unknown time zone")]
    [InlineData("q=x&size=-1", "'size'")]
    [InlineData("q=x&q=y", "'q' may be given only once")]
    public async Task Bad_queries_and_parameters_are_a_400_that_says_what_is_wrong(string query, string message)
    {
        using var response = await server.Client.GetAsync("/search?" + query);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(message, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task An_empty_query_finds_nothing()
    {
        var (body, _) = await SearchAsync("");
        Assert.Empty(Ids(body));
        Assert.Equal(0, body["counts"]!["total"]!.GetValue<int>());
    }
}
