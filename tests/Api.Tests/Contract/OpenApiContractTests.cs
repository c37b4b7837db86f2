using System.Text.Json.Nodes;

namespace Steep.Api.Tests.Contract;

/// <summary>Issue 15, point 9: the OpenAPI document describes the contract as it is served.</summary>
public sealed class OpenApiContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    private async Task<JsonObject> DocumentAsync() => await server.GetJsonAsync("/openapi/v1.json");

    private static JsonObject Schema(JsonObject doc, string name) => doc["components"]!["schemas"]![name]!.AsObject();

    private static IEnumerable<string> Properties(JsonObject schema) => schema["properties"]!.AsObject().Select(p => p.Key);

    [Fact]
    public async Task SchemasUseSteep6sFields()
    {
        var doc = await DocumentAsync();
        Assert.Superset(new HashSet<string> { "name", "priority", "source", "pausedProcessChains", "runningProcessChains", "workflow" },
            Properties(Schema(doc, "Submission")).ToHashSet());
        Assert.Superset(new HashSet<string> { "priority", "agentId", "runNumber", "totalRuns", "requiredCapabilities" },
            Properties(Schema(doc, "ProcessChain")).ToHashSet());
        var service = Properties(Schema(doc, "Service")).ToHashSet();
        Assert.Superset(new HashSet<string> { "runtimeArgs", "requiredCapabilities" }, service);
        Assert.DoesNotContain("runtime_args", service);
        Assert.DoesNotContain("required_capabilities", service);
        var parameter = Properties(Schema(doc, "ServiceParameter")).ToHashSet();
        Assert.Superset(new HashSet<string> { "dataType", "fileSuffix" }, parameter);
        Assert.DoesNotContain("data_type", parameter);
    }

    [Fact]
    public async Task PathsShowPriorityUpdatesRangesHeadAndTheEventBus()
    {
        var paths = (await DocumentAsync())["paths"]!.AsObject();
        foreach (var path in new[] { "/workflows/{id}", "/processchains/{id}" })
        {
            var put = paths[path]!["put"]!;
            Assert.NotNull(put["responses"]!["422"]);
            Assert.Contains("priority", put["requestBody"]!.ToJsonString());
        }
        var log = paths["/logs/processchains/{id}"]!["get"]!;
        Assert.Contains("x-range", log.ToJsonString());
        Assert.NotNull(log["responses"]!["206"]);
        Assert.NotNull(log["responses"]!["416"]);
        Assert.NotNull(paths["/eventbus/info"]!["get"]);
        Assert.NotNull(paths["/eventbus/{server}/{session}/websocket"]!["get"]);
        foreach (var (path, item) in paths)
            if (item!["get"] is not null) Assert.True(item["head"] is not null, $"{path} has no HEAD");
        Assert.Equal("application/json", (await server.Client.GetAsync("/openapi/v1.json")).Content.Headers.ContentType!.ToString());
    }
}
