using System.Net;
using System.Text.Json.Nodes;
using Steep.Api.Tests.Support;

namespace Steep.Api.Tests;

/// <summary>Version, health, agents, services, OpenAPI and the answers to unknown paths and methods.</summary>
public sealed class MetadataEndpointTests(ApiServer server) : IClassFixture<ApiServer>
{
    private HttpClient Client => server.Client;

    [Fact]
    public async Task RootHasVersionInformation()
    {
        var info = await server.GetJsonAsync("/");
        Assert.Matches(@"^\d+\.\d+\.\d+", info["version"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(info["build"]!.GetValue<string>()));
        Assert.False(string.IsNullOrEmpty(info["commit"]!.GetValue<string>()));
        Assert.True(info["timestamp"]!.GetValue<long>() > 1_600_000_000_000);
    }

    [Fact]
    public async Task HealthIsTrueWithItsParts()
    {
        using var response = await Client.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var health = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        Assert.True(health["health"]!.GetValue<bool>());
        Assert.True(health["store"]!["health"]!.GetValue<bool>());
        Assert.True(health["runtime"]!["health"]!.GetValue<bool>());
        Assert.Equal(2, health["agents"]!["count"]!.GetValue<int>());
    }

    [Fact]
    public async Task AgentsAreListedAndFoundById()
    {
        var agents = await server.GetArrayAsync("/agents");
        Assert.Equal(2, agents.Count);
        var first = agents[0]!.AsObject();
        foreach (var f in new[] { "id", "available", "capabilities", "startTime", "stateChangedTime" })
            Assert.True(first.ContainsKey(f), f);
        // the silo each agent lives on names the host and the process
        Assert.Equal($"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}", first["silo"]!.GetValue<string>());
        var id = first["id"]!.GetValue<string>();
        var one = await server.GetJsonAsync($"/agents/{Uri.EscapeDataString(id)}");
        Assert.Equal(id, one["id"]!.GetValue<string>());

        using var missing = await Client.GetAsync("/agents/no-agent");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("no-agent", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task ABusyAgentNamesItsChain()
    {
        var id = (await server.SubmitAsync(ApiServer.SleepWorkflow(30)))["id"]!.GetValue<string>();
        var chainId = (await server.WaitForChainAsync(id, "RUNNING"))["id"]!.GetValue<string>();
        var agents = await server.GetArrayAsync("/agents");
        var busy = agents.Single(a => a!["processChainId"]?.GetValue<string>() == chainId)!;
        Assert.False(busy["available"]!.GetValue<bool>());
        using var cancel = await Client.PutAsync($"/workflows/{id}", ApiServer.Json("""{"status":"CANCELLED"}"""));
        Assert.Equal(HttpStatusCode.OK, cancel.StatusCode);
        await server.WaitForEndAsync(id);
    }

    [Fact]
    public async Task ServicesUseSteepsFieldNames()
    {
        var services = await server.GetArrayAsync("/services");
        Assert.Equal(["sleep", "echo", "fail", "copy"], services.Select(s => s!["id"]!.GetValue<string>()));
        var sleep = await server.GetJsonAsync("/services/sleep");
        Assert.Equal("Sleep", sleep["name"]!.GetValue<string>());
        Assert.Equal("other", sleep["runtime"]!.GetValue<string>());
        var parameter = sleep["parameters"]![0]!;
        Assert.Equal("integer", parameter["dataType"]!.GetValue<string>());
        Assert.Equal("1..1", parameter["cardinality"]!.GetValue<string>());

        using var missing = await Client.GetAsync("/services/teleport");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Contains("teleport", await missing.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnknownPathsAndMethodsGetPlainMessages()
    {
        using var unknown = await Client.GetAsync("/no/such/endpoint");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("/no/such/endpoint", await unknown.Content.ReadAsStringAsync());

        using var wrongMethod = await Client.DeleteAsync("/workflows");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, wrongMethod.StatusCode);
        Assert.Contains("DELETE", await wrongMethod.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task TheOpenApiDocumentHasEveryEndpoint()
    {
        var doc = await server.GetJsonAsync("/openapi/v1.json");
        var paths = doc["paths"]!.AsObject();
        var expected = new Dictionary<string, string[]>
        {
            ["/"] = ["get"], ["/health"] = ["get"],
            ["/workflows"] = ["get", "post"], ["/workflows/{id}"] = ["get", "put"],
            ["/processchains"] = ["get"], ["/processchains/{id}"] = ["get", "put"],
            ["/logs/processchains/{id}"] = ["get"],
            ["/agents"] = ["get"], ["/agents/{id}"] = ["get"],
            ["/services"] = ["get"], ["/services/{id}"] = ["get"],
            ["/vms"] = ["get"], ["/vms/{id}"] = ["get"],
            ["/metrics"] = ["get"], ["/events"] = ["get"],
        };
        foreach (var (path, methods) in expected)
        {
            Assert.True(paths.ContainsKey(path), $"missing {path}: has {string.Join(", ", paths.Select(p => p.Key))}");
            foreach (var m in methods) Assert.True(paths[path]!.AsObject().ContainsKey(m), $"{m} {path}");
        }
        Assert.NotNull(paths["/workflows"]!["post"]!["responses"]!["202"]);
        Assert.NotNull(paths["/workflows"]!["post"]!["responses"]!["400"]);
        Assert.NotNull(paths["/workflows/{id}"]!["get"]!["responses"]!["404"]);
        var body = paths["/workflows"]!["post"]!["requestBody"]!["content"]!.AsObject();
        Assert.True(body.ContainsKey("application/yaml"));
        Assert.True(body.ContainsKey("application/x-www-form-urlencoded"));
        Assert.NotNull(paths["/workflows/{id}"]!["put"]!["requestBody"]);
    }
}
