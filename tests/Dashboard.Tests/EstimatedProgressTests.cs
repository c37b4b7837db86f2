using Microsoft.Playwright;
using Steep.Dashboard.Tests.Support;
using static Microsoft.Playwright.Assertions;

namespace Steep.Dashboard.Tests;

/// <summary>A progress estimator plugin's <c>estimatedProgress</c> on the chain page and in a workflow's chain list.</summary>
public sealed class EstimatedProgressTests(PluginServerFixture server) : IClassFixture<PluginServerFixture>
{
    static EstimatedProgressTests() => SetDefaultExpectTimeout(30_000);

    private const string Workflow = """
        api: 4.0.0
        actions:
          - type: execute
            service: progress
            outputs:
              - {id: output_file, var: counted}
        """;

    [BrowserFact]
    public async Task A_running_chain_shows_its_estimate_rising_and_none_once_it_has_ended()
    {
        var id = await server.SubmitAsync(Workflow);
        var running = await server.WaitForAsync($"/processchains?submissionId={id}",
            l => l.AsArray().Any(c => c!["status"]!.GetValue<string>() == "RUNNING" && c["estimatedProgress"] is not null));
        var chainId = running.AsArray()[0]!["id"]!.GetValue<string>();

        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/chains/{chainId}");
        var estimate = page.Locator("#chain-progress .pct");
        await Expect(estimate).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(25|50|75|100)%$"));
        var first = int.Parse((await estimate.TextContentAsync())!.TrimEnd('%'));
        // no event is sent when an estimate changes: the page asks again while the chain runs
        if (first < 75)
            await Expect(estimate).Not.ToHaveTextAsync($"{first}%", new() { Timeout = (float)(PluginServerFixture.StepSeconds * 3000) });
        await page.ScreenshotAsync(new() { Path = Browsers.ScreenshotPath("chain-progress") });

        await Expect(page.Locator("#chain-status")).ToHaveTextAsync("SUCCESS");
        await Expect(page.Locator("#chain-progress")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }

    [BrowserFact]
    public async Task The_workflow_page_lists_the_estimate_next_to_a_running_chain()
    {
        var id = await server.SubmitAsync(Workflow);
        var page = await server.NewPageAsync();
        await page.GotoAsync($"{server.Steep.Url}/#/workflows/{id}/chains");
        var row = page.Locator("#chains tbody tr").First;
        await Expect(row.Locator(".estimate .pct")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^(25|50|75|100)%$"));
        await Expect(row.Locator(".badge")).ToHaveTextAsync("SUCCESS");
        await Expect(row.Locator(".estimate")).ToHaveCountAsync(0);
        await page.CloseAsync();
    }
}
