using System.Diagnostics;
using System.Net;
using System.Text;
using Steep.Api.Tests.Support;
using Steep.Tests.Shared;

namespace Steep.Api.Tests;

/// <summary>
/// The generated hostile documents (every field of workflows and service metadata: null, empty, wrong type, huge,
/// missing) through a real <c>steep serve</c> (<c>POST /workflows</c>) and a real <c>steep validate</c>: a 400 or an
/// error line naming the field where the document is wrong, never a 500 or a stack trace; plus the configurable
/// limits on what one request may expand to.
/// </summary>
public sealed class HostileInputEndToEndTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task EveryHostileWorkflowGets400NamingTheFieldAndNever500()
    {
        using var dir = new TempDir();
        var services = dir.Write("services.json", HostileCases.ServicesBase);
        await using var steep = await SteepProcess.StartAsync(
            ["--port", "0", "--data", Path.Combine(dir.Path, "data"), "--agents", "1", "--services", services],
            new Dictionary<string, string>
            {
                // the limits come from the environment (conf/steep.yaml keys steep.http.*)
                ["STEEP_HTTP_MAXBODYSIZE"] = "300000",
                ["STEEP_HTTP_MAXDEPTH"] = "20",
                ["STEEP_HTTP_MAXALIASNODES"] = "50",
                ["STEEP_HTTP_MAXFOREACHITEMS"] = "1000",
            }, StartTimeout);
        using var http = new HttpClient { BaseAddress = new Uri(steep.Url), Timeout = TimeSpan.FromSeconds(30) };

        var failures = new List<string>();
        int rejected = 0, accepted = 0;
        foreach (var c in HostileCases.Workflows())
        {
            using var r = await http.PostAsync("/workflows", new StringContent(c.Document, Encoding.UTF8, "application/json"));
            var body = await r.Content.ReadAsStringAsync();
            if (r.StatusCode == HttpStatusCode.BadRequest) rejected++;
            else if (r.StatusCode == HttpStatusCode.Accepted) accepted++;
            else failures.Add($"{c}: {(int)r.StatusCode} {Short(body)}");
            if (c.MustName is { } field && (r.StatusCode != HttpStatusCode.BadRequest || !body.Contains(field, StringComparison.Ordinal)))
                failures.Add($"{c}: expected 400 naming '{field}', got {(int)r.StatusCode} {Short(body)}");
            if (body.Contains("   at ", StringComparison.Ordinal)) failures.Add($"{c}: a stack trace: {Short(body)}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.True(rejected > 150 && accepted > 0, $"{rejected} rejected, {accepted} accepted");

        // YAML as Steep's users send it, with the crashes found
        foreach (var yaml in new[] { "api: 4.0.0\nvars:\n", "api: 4.0.0\nactions:\n  -\n", "actions:\n  - type: for\n    input: i\n    enumerator: e\n    actions:\n" })
        {
            using var r = await http.PostAsync("/workflows", new StringContent(yaml));
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest && body.Contains("is empty (null)", StringComparison.Ordinal), $"{(int)r.StatusCode} {body}");
        }

        // the configured limits: body size (413), nesting depth, alias expansion and for-each iterations (400)
        using (var r = await http.PostAsync("/workflows", new StringContent("api: 4.0.0\n# " + new string('x', 300_000))))
        {
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, r.StatusCode);
            Assert.Contains("steep.http.maxBodySize", await r.Content.ReadAsStringAsync());
        }
        // a small text that declares 40 x 40 iterations (the 3.3 KB request declared 1000 x 1000)
        var items = string.Join(", ", Enumerable.Range(0, 40).Select(i => $"\"f{i}\""));
        var nested = $$"""
            {"api": "4.0.0", "vars": [{"id": "items", "value": [{{items}}]}, {"id": "i"}, {"id": "j"}, {"id": "o"}],
             "actions": [{"type": "for", "input": "items", "enumerator": "i", "actions": [
               {"type": "for", "input": "items", "enumerator": "j", "actions": [
                 {"type": "execute", "service": "cp", "inputs": [{"id": "input_file", "var": "j"}], "outputs": [{"id": "output_file", "var": "o"}]}]}]}]}
            """;
        using (var r = await http.PostAsync("/workflows", new StringContent(nested, Encoding.UTF8, "application/json")))
        {
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest && body.Contains("steep.http.maxForEachItems", StringComparison.Ordinal)
                && body.Contains("more than 1,000 iterations", StringComparison.Ordinal), $"{(int)r.StatusCode} {body}");
        }
        using (var r = await http.PostAsync("/workflows", new StringContent("api: " + new string('[', 21) + new string(']', 21))))
        {
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest && body.Contains("nested more than 20", StringComparison.Ordinal), body);
        }
        using (var r = await http.PostAsync("/workflows", new StringContent("a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]\nb: [*a, *a, *a, *a, *a, *a]\n")))
        {
            var body = await r.Content.ReadAsStringAsync();
            Assert.True(r.StatusCode == HttpStatusCode.BadRequest && body.Contains("steep.http.maxAliasNodes", StringComparison.Ordinal), body);
        }
        using var health = await http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task SteepValidateNamesTheFieldOfEveryHostileWorkflowAndServiceFile()
    {
        using var dir = new TempDir();
        var goodServices = dir.Write("services.json", HostileCases.ServicesBase);
        var goodWorkflow = dir.Write("workflow.json", HostileCases.WorkflowBase);
        // one call for all workflows and one for all service files: every file is checked on its own and named
        var workflows = HostileCases.Workflows().Select((c, i) => (c, File: dir.Write($"workflow-{i}.json", c.Document))).ToList();
        var services = HostileCases.Services().Select((c, i) => (c, File: dir.Write($"services-{i}.json", c.Document))).ToList();
        var failures = new List<string>();
        foreach (var (args, cases) in new[]
        {
            ((string[])["validate", .. workflows.Select(w => w.File), "--services", goodServices], workflows),
            ((string[])["validate", goodWorkflow, "--services", .. services.Select(s => s.File)], services),
        })
        {
            var (code, _, stderr) = await RunSteepAsync(args);
            if (code != 1) failures.Add($"exit code {code}: {Short(stderr)}");
            if (stderr.Contains("Unhandled", StringComparison.Ordinal) || stderr.Contains("   at ", StringComparison.Ordinal))
                failures.Add($"a crash: {Short(stderr)}");
            var lines = stderr.Split('\n');
            foreach (var (c, file) in cases)
            {
                if (c.MustName is { } field && !lines.Any(l => l.StartsWith(file + ": ", StringComparison.Ordinal) && l.Contains(field, StringComparison.Ordinal)))
                    failures.Add($"{c}: no line names {file} and '{field}'");
            }
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        var (okCode, okOut, _) = await RunSteepAsync(["validate", goodWorkflow, "--services", goodServices]);
        Assert.True(okCode == 0, okOut);
    }

    private static string Short(string s) => s.Length <= 600 ? s : s[..600] + "...";

    private static async Task<(int Code, string Stdout, string Stderr)> RunSteepAsync(string[] args)
    {
        var root = SteepProcess.RepositoryRoot();
        var psi = new ProcessStartInfo(Path.Combine(root, "steep")) { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4)); // the first call may build the command
        try
        {
            await p.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"steep {args[0]} did not finish within 4 minutes");
        }
        return (p.ExitCode, await stdout, await stderr);
    }
}
