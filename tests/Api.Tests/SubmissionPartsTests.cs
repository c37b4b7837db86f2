using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

/// <summary><c>GET /workflows/{id}?exclude=…</c> and <c>GET /workflows/{id}/results</c>: a large submission a part at a time.</summary>
public sealed class SubmissionPartsTests(ApiServer server) : IClassFixture<ApiServer>
{
    private HttpClient Client => server.Client;

    private async Task<(string Id, JsonObject Full)> RunThreeCopiesAsync()
    {
        var input = server.Dir.Write("in.txt", "data\n");
        var workflow = $"""
            api: 4.0.0
            vars:
              - id: i
                value: {input}
              - id: o1
              - id: o2
              - id: o3
            actions:
              - type: execute
                service: copy
                inputs: [{"{"}id: input_file, var: i{"}"}]
                outputs: [{"{"}id: output_file, var: o1{"}"}]
              - type: execute
                service: copy
                inputs: [{"{"}id: input_file, var: i{"}"}]
                outputs: [{"{"}id: output_file, var: o2{"}"}]
              - type: execute
                service: copy
                inputs: [{"{"}id: input_file, var: i{"}"}]
                outputs: [{"{"}id: output_file, var: o3{"}"}]
            """;
        var id = (await server.SubmitAsync(workflow))["id"]!.GetValue<string>();
        var full = await server.WaitForEndAsync(id);
        Assert.Equal("SUCCESS", full["status"]!.GetValue<string>());
        return (id, full);
    }

    [Fact]
    public async Task Exclude_leaves_out_workflow_source_and_results_but_keeps_counts_and_times()
    {
        var (id, full) = await RunThreeCopiesAsync();
        Assert.Equal(3, full["results"]!.AsObject().Count);

        var brief = await server.GetJsonAsync($"/workflows/{id}?exclude=workflow,source,results");
        Assert.False(brief.ContainsKey("workflow"));
        Assert.False(brief.ContainsKey("source"));
        Assert.False(brief.ContainsKey("results"));
        Assert.Equal("SUCCESS", brief["status"]!.GetValue<string>());
        Assert.Equal(3, brief["succeededProcessChains"]!.GetValue<int>());
        Assert.Equal(3, brief["totalProcessChains"]!.GetValue<int>());
        Assert.Equal(full["startTime"]!.GetValue<string>(), brief["startTime"]!.GetValue<string>());
        Assert.Equal(full["endTime"]!.GetValue<string>(), brief["endTime"]!.GetValue<string>());

        // one part only: the others stay
        var noResults = await server.GetJsonAsync($"/workflows/{id}?exclude=results");
        Assert.False(noResults.ContainsKey("results"));
        Assert.NotNull(noResults["workflow"]);
        Assert.NotNull(noResults["source"]);
    }

    [Fact]
    public async Task An_unknown_part_to_exclude_is_a_400_naming_the_parameter_and_the_choices()
    {
        var (id, _) = await RunThreeCopiesAsync();
        using var response = await Client.GetAsync($"/workflows/{id}?exclude=workflow,agents");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var message = await response.Content.ReadAsStringAsync();
        Assert.Contains("'exclude'", message);
        Assert.Contains("'agents'", message);
        Assert.Contains("workflow, source, results", message);
    }

    [Fact]
    public async Task Results_come_a_page_at_a_time_in_order_with_the_total()
    {
        var (id, full) = await RunThreeCopiesAsync();
        var all = full["results"]!.AsObject().Select(p => p.Key).ToList();

        using var first = await Client.GetAsync($"/workflows/{id}/results?size=2");
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal("3", first.Headers.GetValues("x-page-total").Single());
        var page1 = JsonNode.Parse(await first.Content.ReadAsStringAsync())!.AsObject();
        var page2 = await server.GetJsonAsync($"/workflows/{id}/results?size=2&offset=2");
        Assert.Equal(all, page1.Select(p => p.Key).Concat(page2.Select(p => p.Key)).ToList());
        foreach (var (name, files) in page1.Concat(page2))
            Assert.Equal(full["results"]![name]![0]!.GetValue<string>(), files![0]!.GetValue<string>());

        using var unknown = await Client.GetAsync("/workflows/nope/results");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await Client.GetAsync($"/workflows/{id}/results?size=-1");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("'size'", await bad.Content.ReadAsStringAsync());
    }
}
