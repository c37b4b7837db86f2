using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Steep.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Steep.Dashboard.Tests;

/// <summary>The dashboard in headless chromium against a real <c>steep serve</c> running real workflows.</summary>
[Collection(DashboardCollection.Name)]
public sealed class DashboardTests(ServerFixture server)
{
    static DashboardTests() => SetDefaultExpectTimeout(30_000);

    /// <summary>Marks the page's window; the mark survives only as long as the page is not reloaded.</summary>
    private static Task MarkAsync(IPage page) => page.EvaluateAsync("() => { window.__mark = 42; }");

    private static async Task AssertNotReloadedAsync(IPage page) =>
        Assert.Equal(42, await page.EvaluateAsync<int>("() => window.__mark ?? 0"));

    [BrowserFact]
    public async Task Root_serves_the_page_to_browsers_and_json_to_api_clients()
    {
        using var html = new HttpRequestMessage(HttpMethod.Get, "/");
        html.Headers.Accept.ParseAdd("text/html");
        using var page = await server.Http.SendAsync(html);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<div id=\"app\">", await page.Content.ReadAsStringAsync());
        var info = await server.GetJsonAsync("/");
        Assert.NotNull(info["version"]);
    }

    [BrowserFact]
    public async Task List_shows_a_new_submission_and_its_status_changes_without_reload()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.Steep.Url + "/");
        await Expect(page.Locator("#connection")).ToContainTextAsync("live");
        await MarkAsync(page);
        var id = await server.SubmitAsync(Workflows.Sleep(2));
        var row = page.Locator($"#workflows tr[data-id='{id}']");
        await Expect(row).ToBeVisibleAsync();
        await Expect(row.Locator(".badge")).ToHaveTextAsync("RUNNING");
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("workflows"), FullPage = true });
        await Expect(row.Locator(".badge")).ToHaveTextAsync("SUCCESS");
        await Expect(row.Locator(".counts")).ToContainTextAsync("1 / 0 / 0 / 1");
        await AssertNotReloadedAsync(page);

        // the status filter asks the server
        await page.SelectOptionAsync("#status-filter", "ERROR");
        await Expect(page.Locator($"#workflows tr[data-id='{id}']")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Graph_of_split_join_has_a_node_per_chain_and_the_data_flow_edges()
    {
        var id = await server.SubmitAsync(Workflows.SplitJoin);
        await server.WaitForAsync($"/workflows/{id}", s => s["status"]!.GetValue<string>() == "SUCCESS");
        var chains = (await server.GetJsonAsync($"/processchains?submissionId={id}&size=100")).AsArray();
        Assert.Equal(4, chains.Count);
        var services = new Dictionary<string, string>();
        foreach (var c in chains)
        {
            var chainId = c!["id"]!.GetValue<string>();
            var full = await server.GetJsonAsync($"/processchains/{chainId}");
            services[chainId] = full["executables"]![0]!["serviceId"]!.GetValue<string>();
        }

        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}");
        var nodes = page.Locator("#graph .node[data-id]");
        await Expect(nodes).ToHaveCountAsync(4);
        await Expect(page.Locator("#graph .node[data-status='SUCCESS']")).ToHaveCountAsync(4);
        var edges = await page.Locator("#graph path.edge").EvaluateAllAsync<string[][]>(
            "es => es.map(e => [e.dataset.from, e.dataset.to])");
        Assert.Equal(4, edges.Length);
        // copy → two copies → join: the join consumes two chains, the first copy feeds two
        var join = services.Single(s => s.Value == "join").Key;
        Assert.Equal(2, edges.Count(e => e[1] == join));
        var first = edges.GroupBy(e => e[0]).Single(g => g.Count() == 2).Key;
        Assert.Equal("copy", services[first]);
        Assert.All(edges.Where(e => e[0] != first), e => Assert.Equal(join, e[1]));
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("workflow-graph") });

        // zoom and pan change the view, then a click on a node opens its chain
        var before = await page.Locator("#graph svg > g").GetAttributeAsync("transform");
        await page.Locator("#graph").HoverAsync(new() { Position = new() { X = 50, Y = 50 } });
        await page.Mouse.WheelAsync(0, -300);
        await Expect(page.Locator("#graph svg > g")).Not.ToHaveAttributeAsync("transform", before!);
        await page.ClickAsync("#graph-fit");
        await page.Locator($"#graph .node[data-id='{join}']").ClickAsync();
        await page.WaitForURLAsync($"**/#/chains/{join}");
        await Expect(page.Locator("#executables")).ToContainTextAsync("join.sh");
        await Expect(page.Locator("#chain-status")).ToHaveTextAsync("SUCCESS");
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("chain"), FullPage = true });

        // the timeline has a lane for each agent that ran a chain
        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}/timeline");
        var agents = chains.Select(c => c!["agentId"]?.GetValue<string>()).OfType<string>().Distinct().Order().ToArray();
        Assert.NotEmpty(agents);
        await Expect(page.Locator("#timeline .lane")).ToHaveCountAsync(agents.Length);
        var lanes = await page.Locator("#timeline .lane").EvaluateAllAsync<string[]>("ls => ls.map(l => l.dataset.agent)");
        Assert.Equal(agents, lanes.Order().ToArray());
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("workflow-timeline") });

        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}/source");
        await Expect(page.Locator("#source")).ToContainTextAsync("outputFile4");
        // the results (fetched a page at a time) name the join's output file
        var joined = (await server.GetJsonAsync($"/workflows/{id}"))["results"]!["outputFile4"]![0]!.GetValue<string>();
        await Expect(page.Locator("#results")).ToContainTextAsync(joined);
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Graph_links_a_split_directory_to_the_copies_of_its_pieces_and_those_to_the_join()
    {
        var id = await server.SubmitAsync(Workflows.ForEachSplit);
        await server.WaitForAsync($"/workflows/{id}", s => s["status"]!.GetValue<string>() == "SUCCESS");
        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}");
        // example.txt has five lines: split, five copies, join
        await Expect(page.Locator("#graph .node[data-id]")).ToHaveCountAsync(7);
        var nodes = await page.Locator("#graph .node[data-id]").EvaluateAllAsync<string[][]>(
            "ns => ns.map(n => [n.dataset.id, n.querySelector('text.label').textContent])");
        var service = nodes.ToDictionary(n => n[0], n => n[1]);
        var edges = await page.Locator("#graph path.edge").EvaluateAllAsync<string[][]>("es => es.map(e => [e.dataset.from, e.dataset.to])");
        Assert.Equal(10, edges.Length);
        var split = service.Single(s => s.Value == "split").Key;
        var join = service.Single(s => s.Value == "join").Key;
        foreach (var copy in service.Where(s => s.Value == "copy").Select(s => s.Key))
        {
            Assert.Contains(edges, e => e[0] == split && e[1] == copy);
            Assert.Contains(edges, e => e[0] == copy && e[1] == join);
        }
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("workflow-graph-for-each") });
        // the pictures of the README (docs/dashboard-graph.png, docs/dashboard-timeline.png)
        await page.Locator(".graph-wrap").ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("graph") });
        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}/timeline");
        await Expect(page.Locator("#timeline .lane")).Not.ToHaveCountAsync(0);
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("workflow-timeline-for-each") });
        await page.Locator("#timeline").ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("timeline") });
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Log_follows_a_running_chain()
    {
        var id = await server.SubmitAsync(Workflows.Ticker(15));
        var chain = await server.WaitForAsync($"/processchains?submissionId={id}&status=RUNNING",
            list => list.AsArray().Count == 1, 30);
        var chainId = chain[0]!["id"]!.GetValue<string>();
        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/chains/{chainId}");
        await Expect(page.Locator("#log")).ToContainTextAsync("tick 2");
        await MarkAsync(page);
        // the chain is still running when the page shows its first lines, and the page keeps up until it ends
        Assert.Equal("RUNNING", (await server.GetJsonAsync($"/processchains/{chainId}"))["status"]!.GetValue<string>());
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("chain-log-running"), FullPage = true });
        await Expect(page.Locator("#log")).ToContainTextAsync("tick 15");
        await Expect(page.Locator("#chain-status")).ToHaveTextAsync("SUCCESS");
        await AssertNotReloadedAsync(page);
        var text = await page.Locator("#log").InnerTextAsync();
        // appended once each: the Range reads neither lose nor repeat bytes
        for (int i = 1; i <= 15; i++) Assert.Single(text.Split('\n'), l => l.Trim() == $"tick {i}");
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task A_log_read_on_its_way_when_the_chain_ends_shows_its_lines_once()
    {
        var id = await server.SubmitAsync(Workflows.Ticker(8));
        var chain = await server.WaitForAsync($"/processchains?submissionId={id}&status=RUNNING",
            list => list.AsArray().Count == 1, 30);
        var chainId = chain[0]!["id"]!.GetValue<string>();
        var page = await server.NewPageAsync();
        // once the first lines are shown, the log reads wait until the page has seen the chain end: the read that was
        // on its way then and the one the end starts ask for the same bytes
        var holding = false;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.RouteAsync("**/logs/processchains/**", async route =>
        {
            if (Volatile.Read(ref holding)) await release.Task;
            await route.ContinueAsync();
        });
        await page.GotoAsync($"{server.Steep.Url}/#/chains/{chainId}");
        await Expect(page.Locator("#log")).ToContainTextAsync("tick 1");
        Volatile.Write(ref holding, true);
        await Expect(page.Locator("#chain-status")).ToHaveTextAsync("SUCCESS", new() { Timeout = 30_000 });
        release.SetResult();
        await Expect(page.Locator("#log")).ToContainTextAsync("tick 8");
        await page.WaitForTimeoutAsync(500); // a second copy would arrive with the same responses
        var text = await page.Locator("#log").InnerTextAsync();
        for (int i = 1; i <= 8; i++) Assert.Single(text.Split('\n'), l => l.Trim() == $"tick {i}");
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Cancel_cancels_the_submission()
    {
        var id = await server.SubmitAsync(Workflows.Sleep(60));
        await server.WaitForAsync($"/workflows/{id}", s => s["runningProcessChains"]!.GetValue<int>() == 1, 30);
        var page = await server.NewPageAsync();
        page.Dialog += async (_, d) => await d.AcceptAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}");
        await Expect(page.Locator("#status")).ToHaveTextAsync("RUNNING");
        // a running submission takes a new priority
        await page.Locator("#priority input").FillAsync("7");
        await page.Locator("#priority button").ClickAsync();
        await server.WaitForAsync($"/workflows/{id}", s => s["priority"]?.GetValue<int>() == 7);
        await page.ClickAsync("#cancel");
        await Expect(page.Locator("#status")).ToHaveTextAsync("CANCELLED");
        var s = await server.GetJsonAsync($"/workflows/{id}");
        Assert.Equal("CANCELLED", s["status"]!.GetValue<string>());
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Editor_shows_validation_problems_at_their_lines_and_submits_a_good_workflow()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/new");
        const string bad = "api: 4.0.0\nvars:\n  - id: s\n    value: 1\nactions:\n  - type: execute\n    service: sleep\n    inputs:\n      - id: seconds\n        var: s\n  - type: execute\n    service: no_such_service\n";
        await page.FillAsync("#editor", bad);
        var problem = page.Locator("#problems li");
        await Expect(problem).ToHaveCountAsync(1);
        await Expect(problem).ToContainTextAsync("unknown service 'no_such_service'");
        // the problem names the line of the second action's service, and the gutter marks it
        await Expect(problem).ToHaveAttributeAsync("data-line", "12");
        await Expect(page.Locator(".gutter .ln.bad")).ToHaveAttributeAsync("data-line", "12");
        await Expect(page.Locator("#submit")).ToBeDisabledAsync();
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("new-workflow-problems"), FullPage = true });

        await page.FillAsync("#editor", "not: [closed");
        await Expect(problem).ToContainTextAsync("line 1");

        await page.FillAsync("#editor", Workflows.Sleep(1));
        await Expect(page.Locator("#validation-state")).ToHaveTextAsync("✓ valid");
        await Expect(problem).ToHaveCountAsync(0);
        await page.ClickAsync("#submit");
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#/workflows/[^/]+$"));
        var id = page.Url.Split("#/workflows/")[1];
        await Expect(page.Locator("#status")).ToHaveTextAsync("SUCCESS");
        Assert.Equal("SUCCESS", (await server.GetJsonAsync($"/workflows/{id}"))["status"]!.GetValue<string>());
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task Agents_services_and_overview_pages_show_the_instance()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/agents");
        var agents = (await server.GetJsonAsync("/agents")).AsArray();
        await Expect(page.Locator("#agents tbody tr")).ToHaveCountAsync(agents.Count);
        // each agent with the silo (process and host) it lives on
        var agent = agents[0]!;
        var silo = agent["silo"]!.GetValue<string>();
        await Expect(page.Locator($"#agents tr[data-id='{agent["id"]!.GetValue<string>()}'] .silo")).ToHaveTextAsync(silo);
        await Expect(page.Locator("#services details[data-id='sleep']")).ToHaveCountAsync(1);
        await Expect(page.Locator("#vms")).ToBeVisibleAsync();
        await page.Locator("#services details[data-id='copy'] summary").ClickAsync();
        await Expect(page.Locator("#services details[data-id='copy']")).ToContainTextAsync("input_file");
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("agents"), FullPage = true });

        await page.GotoAsync($"{server.Steep.Url}/#/overview");
        await Expect(page.Locator("#chart-agents")).ToBeVisibleAsync();
        await Expect(page.Locator("#chart-running .chart-value")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(@"^\d+$"));
        await page.WaitForTimeoutAsync(4500); // a few samples, so the charts have lines
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("overview"), FullPage = true });
        await page.CloseAsync();
    }
}

/// <summary>With <c>steep.http.token</c> set, the page asks once and then sends it everywhere, events included.</summary>
public sealed class TokenTests(TokenServerFixture server) : IClassFixture<TokenServerFixture>
{
    [BrowserFact]
    public async Task The_page_asks_for_the_token_once_and_then_works()
    {
        var page = await server.NewPageAsync();
        await page.GotoAsync(server.Steep.Url + "/");
        var form = page.Locator("#token-form");
        await Expect(form).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("token") });
        await page.FillAsync("#token-form input", "wrong");
        await page.ClickAsync("#token-form button");
        await Expect(form).ToBeVisibleAsync(); // asked again: the server refused that one
        await page.FillAsync("#token-form input", TokenServerFixture.Token);
        await page.ClickAsync("#token-form button");
        await Expect(form).ToBeHiddenAsync();
        await Expect(page.Locator("#connection")).ToContainTextAsync("live");

        // events reach the page with the token too
        var id = await server.SubmitAsync(Workflows.Sleep(1));
        await Expect(page.Locator($"#workflows tr[data-id='{id}'] .badge")).ToHaveTextAsync("SUCCESS");

        // kept in the browser: a new visit does not ask again
        await page.ReloadAsync();
        await Expect(page.Locator($"#workflows tr[data-id='{id}']")).ToBeVisibleAsync();
        await Expect(form).ToBeHiddenAsync();
        await page.CloseAsync();
    }
}
