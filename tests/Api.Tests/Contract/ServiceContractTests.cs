using System.Text.Json.Nodes;

namespace Steep.Api.Tests.Contract;

/// <summary>Issue 15: service metadata is written in Steep 6's camelCase, whatever spelling the file used.</summary>
public sealed class ServiceContractTests(ContractServer server) : IClassFixture<ContractServer>
{
    [Fact]
    public async Task ServicesAreWrittenInCamelCase()
    {
        // the fixture's services.yaml is a Steep 5 file (snake_case)
        var copy = await server.GetJsonAsync("/services/copy");
        var text = copy.ToJsonString();
        foreach (var snake in new[] { "data_type", "file_suffix", "runtime_args", "required_capabilities" })
            Assert.DoesNotContain($"\"{snake}\"", text);
        Assert.Equal("file", copy["parameters"]![0]!["dataType"]!.GetValue<string>());
        Assert.IsType<JsonArray>(copy["requiredCapabilities"]);
        Assert.IsType<JsonArray>(copy["runtimeArgs"]);

        var all = await server.GetArrayAsync("/services");
        Assert.DoesNotContain("\"data_type\"", all.ToJsonString());
        Assert.Contains("\"dataType\"", all.ToJsonString());
    }
}
