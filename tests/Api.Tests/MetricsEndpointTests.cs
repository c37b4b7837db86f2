using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

public sealed partial class MetricsEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    [GeneratedRegex("""^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>([a-zA-Z_][a-zA-Z0-9_]*="([^"\\\n]|\\[\\"n])*",?)*)\})? (?<value>[-+]?(\d+(\.\d*)?([eE][-+]?\d+)?|Inf|NaN))$""")]
    private static partial Regex SampleLine();

    [Fact]
    public async Task MetricsFollowTheTextFormatAndCountWhatHappened()
    {
        var ok = (await server.SubmitAsync(ApiServer.SleepWorkflow(0)))["id"]!.GetValue<string>();
        var failed = (await server.SubmitAsync(ApiServer.FailWorkflow))["id"]!.GetValue<string>();
        await server.WaitForEndAsync(ok);
        await server.WaitForEndAsync(failed);

        using var response = await server.Client.GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var contentType = response.Content.Headers.ContentType!.ToString();
        Assert.StartsWith("text/plain", contentType);
        Assert.Contains("version=0.0.4", contentType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\r", text);
        Assert.EndsWith("\n", text);

        var help = new HashSet<string>();
        var types = new Dictionary<string, string>();
        var series = new HashSet<string>();
        var values = new Dictionary<string, double>();
        foreach (var line in text.TrimEnd('\n').Split('\n'))
        {
            if (line.StartsWith("# HELP ", StringComparison.Ordinal))
            {
                Assert.True(help.Add(line.Split(' ')[2]), $"HELP twice: {line}");
                continue;
            }
            if (line.StartsWith("# TYPE ", StringComparison.Ordinal))
            {
                var parts = line.Split(' ');
                Assert.True(types.TryAdd(parts[2], parts[3]), $"TYPE twice: {line}");
                Assert.Contains(parts[3], new[] { "counter", "gauge", "histogram" });
                continue;
            }
            var m = SampleLine().Match(line);
            Assert.True(m.Success, $"not a sample line: '{line}'");
            var key = line[..line.LastIndexOf(' ')];
            Assert.True(series.Add(key), $"series twice: {key}");
            var name = m.Groups["name"].Value;
            var family = types.ContainsKey(name) ? name : Regex.Replace(name, "_(bucket|sum|count)$", "");
            Assert.True(types.ContainsKey(family), $"sample before its TYPE: {line}");
            values[key] = double.Parse(m.Groups["value"].Value.Replace("+Inf", "Infinity").Replace("Inf", "Infinity"), CultureInfo.InvariantCulture);
        }

        Assert.Equal("gauge", types["steep_scheduler_process_chains"]);
        Assert.Equal("gauge", types["steep_controller_process_chains"]);
        Assert.Equal("gauge", types["steep_submissions"]);
        Assert.Equal("gauge", types["steep_agents"]);
        Assert.Equal("histogram", types["steep_process_chain_duration_seconds"]);
        Assert.Equal("counter", types["process_cpu_seconds_total"]);
        Assert.Equal("counter", types["dotnet_collection_count_total"]);
        foreach (var g in new[] { "process_working_set_bytes", "process_start_time_seconds", "process_num_threads", "dotnet_total_memory_bytes" })
            Assert.Equal("gauge", types[g]);

        Assert.Equal(2, values["steep_agents"]);
        Assert.True(values["steep_submissions{status=\"SUCCESS\"}"] >= 1);
        Assert.True(values["steep_submissions{status=\"ERROR\"}"] >= 1);
        Assert.True(values["steep_scheduler_process_chains{status=\"SUCCESS\"}"] >= 1);
        Assert.True(values["steep_scheduler_process_chains{status=\"ERROR\"}"] >= 1);
        Assert.True(values.ContainsKey("steep_scheduler_process_chains{status=\"REGISTERED\"}"));
        Assert.True(values.ContainsKey("dotnet_collection_count_total{generation=\"0\"}"));
        Assert.True(values["process_start_time_seconds"] > 1_600_000_000);

        // the histogram: cumulative buckets ending in +Inf, which equals _count
        Assert.True(values["steep_process_chain_duration_seconds_count{service=\"sleep\"}"] >= 1);
        Assert.True(values["steep_process_chain_duration_seconds_count{service=\"fail\"}"] >= 1);
        var buckets = values.Where(kv => kv.Key.StartsWith("steep_process_chain_duration_seconds_bucket{service=\"sleep\"", StringComparison.Ordinal))
            .Select(kv => kv.Value).ToList();
        Assert.True(buckets.Count > 2);
        Assert.Equal(buckets.Order(), buckets);
        Assert.Equal(values["steep_process_chain_duration_seconds_count{service=\"sleep\"}"],
            values["steep_process_chain_duration_seconds_bucket{service=\"sleep\",le=\"+Inf\"}"]);
    }
}
