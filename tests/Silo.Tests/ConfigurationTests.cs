using Steep.Core.Serialization;
using Steep.Silo.Configuration;
using Steep.Silo.Hosting;

namespace Steep.Silo.Tests;

public sealed class ConfigurationTests
{
    private static string Home(string yaml)
    {
        var home = Path.Combine(Path.GetTempPath(), "steep-conf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(home, "conf", "services"));
        File.WriteAllText(Path.Combine(home, "conf", "steep.yaml"), yaml);
        return home;
    }

    private const string Yaml = """
        steep:
          dataDir: data
          tmpPath: /data/tmp
          agent:
            instances: 3
            capabilities: [docker, gpu]
          http:
            host: 0.0.0.0
            port: 9000
          runtimes:
            docker:
              volumes: ["/data:/data"]
              env:
                HTTP_PROXY: http://proxy:3128
        """;

    [Fact]
    public void Reads_nested_keys_from_steep_yaml()
    {
        var c = SteepConfiguration.Load(Home(Yaml), new Dictionary<string, string>());
        Assert.Equal("0.0.0.0", c.GetString("steep.http.host"));
        Assert.Equal(9000, c.GetInt("steep.http.port", 8080));
        Assert.Equal(["docker", "gpu"], c.GetList("steep.agent.capabilities"));
        Assert.Equal("http://proxy:3128", c.GetMap("steep.runtimes.docker.env")["HTTP_PROXY"]);
    }

    [Fact]
    public void Environment_variables_override_every_key()
    {
        var env = new Dictionary<string, string>
        {
            ["STEEP_HTTP_HOST"] = "10.0.0.1", ["STEEP_TMPPATH"] = "/scratch", ["STEEP_AGENT_CAPABILITIES"] = "a, b",
            ["STEEP_AGENT_INSTANCES"] = "5",
        };
        var c = SteepConfiguration.Load(Home(Yaml), env);
        Assert.Equal("10.0.0.1", c.GetString("steep.http.host"));
        Assert.Equal("/scratch", c.GetString("steep.tmpPath"));
        Assert.Equal(["a", "b"], c.GetList("steep.agent.capabilities"));
        var s = HostSettings.From(c, null, [], null);
        Assert.Equal(5, s.AgentCount);
        Assert.Equal("/scratch", s.TmpPath);
        Assert.Equal(["a", "b"], s.AgentCapabilities);
    }

    [Fact]
    public void Command_line_wins_and_defaults_follow_the_data_directory()
    {
        var home = Home("steep:\n  agent:\n    instances: 0\n");
        var c = SteepConfiguration.Load(home, new Dictionary<string, string>());
        var s = HostSettings.From(c, Path.Combine(home, "mydata"), [], 2);
        Assert.Equal(2, s.AgentCount);
        Assert.Equal(Path.Combine(home, "mydata", "tmp"), s.TmpPath);
        Assert.Equal(Path.Combine(home, "mydata", "out"), s.OutPath);
        Assert.Equal(Environment.ProcessorCount, HostSettings.From(c, null, [], null).AgentCount);
    }

    [Fact]
    public void The_lazy_unrolling_window_and_the_for_each_limit_come_from_steep_yaml_or_the_environment()
    {
        var home = Home("steep:\n  controller:\n    maxRegisteredChains: 100\n  http:\n    maxForEachItems: 2000\n");
        var s = HostSettings.From(SteepConfiguration.Load(home, new Dictionary<string, string>()), null, [], 1);
        Assert.Equal(100, s.MaxRegisteredChains);
        Assert.Equal(2000, s.MaxForEachItems);

        var env = new Dictionary<string, string> { ["STEEP_CONTROLLER_MAXREGISTEREDCHAINS"] = "0", ["STEEP_HTTP_MAXFOREACHITEMS"] = "0" };
        s = HostSettings.From(SteepConfiguration.Load(home, env), null, [], 1);
        Assert.Equal(0, s.MaxRegisteredChains); // no window: everything at once
        Assert.Equal(0, s.MaxForEachItems);     // no limit

        var defaults = HostSettings.From(SteepConfiguration.Load(Home("steep: {}\n"), new Dictionary<string, string>()), null, [], 1);
        Assert.Equal(5000, defaults.MaxRegisteredChains);

        var bad = SteepConfiguration.Load(home, new Dictionary<string, string> { ["STEEP_CONTROLLER_MAXREGISTEREDCHAINS"] = "-1" });
        var e = Assert.Throws<ModelFormatException>(() => HostSettings.From(bad, null, [], 1));
        Assert.Contains("steep.controller.maxRegisteredChains", e.Message);
        Assert.Contains("STEEP_CONTROLLER_MAXREGISTEREDCHAINS", e.Message);
    }

    [Fact]
    public void A_bad_value_names_the_key_and_the_variable()
    {
        var c = SteepConfiguration.Load(Home(Yaml), new Dictionary<string, string> { ["STEEP_HTTP_PORT"] = "eighty" });
        var e = Assert.Throws<ModelFormatException>(() => c.GetInt("steep.http.port", 8080));
        Assert.Contains("steep.http.port", e.Message);
        Assert.Contains("STEEP_HTTP_PORT", e.Message);
    }

    [Fact]
    public void Services_come_from_conf_services_with_their_directory()
    {
        var home = Home("steep: {}\n");
        File.WriteAllText(Path.Combine(home, "conf", "services", "a.yaml"),
            "- {id: x, name: x, description: x, path: ./x.sh, runtime: other, parameters: []}\n");
        var s = HostSettings.From(SteepConfiguration.Load(home, new Dictionary<string, string>()), null, null, 1);
        Assert.Equal("x", Assert.Single(s.Services).Id);
        Assert.Equal(Path.Combine(home, "conf", "services"), s.ServiceDirectories["x"]);
    }
}
