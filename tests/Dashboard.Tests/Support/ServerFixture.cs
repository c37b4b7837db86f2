using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace Steep.Dashboard.Tests.Support;

/// <summary>One real <c>steep serve</c> (2 agents; sleep, split/copy/join and ticker services) and one browser for the class.</summary>
public class ServerFixture : IAsyncLifetime
{
    private readonly string _data = Path.Combine(Path.GetTempPath(), "steep-dashboard-tests-" + Guid.NewGuid().ToString("N")[..8]);
    private IPlaywright? _playwright;

    protected virtual IDictionary<string, string>? Environment => null;

    /// <summary>The service metadata files the server is started with.</summary>
    protected virtual IEnumerable<string> ServiceFiles =>
        ["conf/services/sleep.yaml", "examples/for-each-split/services.yaml", "tests/Dashboard.Tests/services/ticker.yaml"];

    public SteepProcess Steep { get; private set; } = null!;
    public IBrowser Browser { get; private set; } = null!;
    public HttpClient Http { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Steep = await SteepProcess.StartAsync(
            ["--port", "0", "--data", _data, "--agents", "2", "--services", .. ServiceFiles],
            Environment, TimeSpan.FromMinutes(5));
        Http = new HttpClient { BaseAddress = new Uri(Steep.Url), Timeout = TimeSpan.FromSeconds(60) };
        if (Environment?.TryGetValue("STEEP_HTTP_TOKEN", out var token) == true)
            Http.DefaultRequestHeaders.Authorization = new("Bearer", token);
        if (File.Exists(BrowserFactAttribute.Chromium)) (_playwright, Browser) = await Browsers.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
        Http?.Dispose();
        if (Steep is not null) await Steep.DisposeAsync();
        try
        {
            Directory.Delete(_data, recursive: true);
        }
        catch (IOException)
        {
            // a chain's files may still be in use for a moment; the temp folder is cleaned by the OS eventually
        }
    }

    public async Task<IPage> NewPageAsync()
    {
        var page = await Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1400, Height = 900 } });
        page.SetDefaultTimeout(30_000);
        return page;
    }

    public async Task<string> SubmitAsync(string workflow)
    {
        using var r = await Http.PostAsync("/workflows", new StringContent(workflow, Encoding.UTF8, "application/yaml"));
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.StatusCode == HttpStatusCode.Accepted, $"{(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!["id"]!.GetValue<string>();
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var r = await Http.GetAsync(path);
        var body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    public async Task<JsonNode> WaitForAsync(string path, Func<JsonNode, bool> done, int seconds = 60)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var node = await GetJsonAsync(path);
            if (done(node)) return node;
            Assert.True(DateTime.UtcNow < deadline, $"{path} did not get there in {seconds} s: {node.ToJsonString()}");
            await Task.Delay(100);
        }
    }
}

/// <summary>The browser and API tests share one server (a steep process and a chromium each cost a core for a while).</summary>
[CollectionDefinition(Name)]
public sealed class DashboardCollection : ICollectionFixture<ServerFixture>
{
    public const string Name = "dashboard";
}

/// <summary>The same with <c>steep.http.token</c> set.</summary>
public sealed class TokenServerFixture : ServerFixture
{
    public const string Token = "s3cret-dashboard-token";
    protected override IDictionary<string, string>? Environment => new Dictionary<string, string> { ["STEEP_HTTP_TOKEN"] = Token };
}

public static class Workflows
{
    public static string Sleep(int seconds) => $"""
        api: 4.0.0
        vars:
          - id: s
            value: {seconds}
        actions:
          - type: execute
            service: sleep
            inputs:
              - id: seconds
                var: s
        """;

    public static string Ticker(int count) => $"""
        api: 4.0.0
        vars:
          - id: n
            value: {count}
        actions:
          - type: execute
            service: ticker
            inputs:
              - id: count
                var: n
        """;

    public static string SplitJoin => File.ReadAllText(Path.Combine(SteepProcess.RepositoryRoot(), "examples", "split-join", "workflow.yaml"));

    public static string ForEachSplit => File.ReadAllText(Path.Combine(SteepProcess.RepositoryRoot(), "examples", "for-each-split", "workflow.yaml"));
}

/// <summary>The same with the example plugins (<c>examples/plugins/plugins.yaml</c>) and their services.</summary>
public sealed class PluginServerFixture : ServerFixture
{
    // the progress service prints 25 %, 50 %, 75 %, 100 % this many seconds apart: slow enough to watch
    public const double StepSeconds = 2;

    protected override IDictionary<string, string>? Environment => new Dictionary<string, string>
    {
        ["STEEP_PLUGINS"] = "examples/plugins/plugins.yaml",
        ["PROGRESS_STEP_SECONDS"] = StepSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    protected override IEnumerable<string> ServiceFiles => ["examples/plugins/services.yaml"];
}
