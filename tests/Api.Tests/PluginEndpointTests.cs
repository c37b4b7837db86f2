using System.Net;
using Steep.Api.Tests.Support;
using Steep.Plugins;

namespace Steep.Api.Tests;

/// <summary>A server with the example plugins (examples/plugins/plugins.yaml).</summary>
public sealed class ExamplePluginServer : ApiServer
{
    protected override PluginSet LoadPlugins()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Steep.Orleans.sln"))) dir = dir.Parent;
        var root = dir!.FullName;
        return PluginLoader.Load(PluginLoader.DescriptorFiles(root, "examples/plugins/plugins.yaml"), root, Path.Combine(Dir.Path, "plugins"));
    }
}

/// <summary><c>GET /plugins</c> and <c>GET /plugins/{name}</c> with Steep 6.9's fields.</summary>
public sealed class PluginEndpointTests(ExamplePluginServer server) : IClassFixture<ExamplePluginServer>
{
    [Fact]
    public async Task Plugins_are_listed_in_descriptor_order_with_steeps_fields()
    {
        var plugins = await server.GetArrayAsync("/plugins");
        Assert.Equal(["checkTools", "setGreeting", "nice", "manifest", "retryFlaky", "isolateFlaky", "percent"],
            plugins.Select(p => p!["name"]!.GetValue<string>()));
        var nice = plugins[2]!.AsObject();
        Assert.Equal(["type", "name", "version", "scriptFile", "supportedRuntime"], nice.Select(kv => kv.Key));
        Assert.Equal("runtime", nice["type"]!.GetValue<string>());
        Assert.Equal("examples/plugins/NiceRuntime.cs", nice["scriptFile"]!.GetValue<string>());
        Assert.Equal("nice", nice["supportedRuntime"]!.GetValue<string>());
    }

    [Fact]
    public async Task One_plugin_by_name_and_404_for_an_unknown_one()
    {
        var manifest = await server.GetJsonAsync("/plugins/manifest");
        Assert.Equal("outputAdapter", manifest["type"]!.GetValue<string>());
        Assert.Equal("manifest", manifest["supportedDataType"]!.GetValue<string>());
        var adapter = await server.GetJsonAsync("/plugins/retryFlaky");
        Assert.Empty(adapter["dependsOn"]!.AsArray());

        using var missing = await server.Client.GetAsync("/plugins/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("There is no plugin with name 'nope'", await missing.Content.ReadAsStringAsync());
    }
}
