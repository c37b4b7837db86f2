using System.Net;
using Steep.Core.Serialization;
using Steep.Silo.Configuration;
using Steep.Silo.Hosting;

namespace Steep.Silo.Tests;

public sealed class ClusterConfigurationTests
{
    private static SteepConfiguration Load(string yaml, Dictionary<string, string>? env = null)
    {
        var home = Path.Combine(Path.GetTempPath(), "steep-conf-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(Path.Combine(home, "conf"));
        File.WriteAllText(Path.Combine(home, "conf", "steep.yaml"), yaml);
        return SteepConfiguration.Load(home, env ?? []);
    }

    private const string Yaml = """
        steep:
          cluster:
            postgres: Host=db.example;Username=steep;Database=steep
            id: prod
            name: vm-1
            advertisedAddress: 10.0.0.7
            siloPort: 11111
            gatewayPort: 30000
            probeTimeout: 3s
            numMissedProbesLimit: 4
            responseTimeout: 1m
            drainTimeout: 45s
        """;

    [Fact]
    public void Without_a_postgres_connection_string_steep_is_embedded()
    {
        var s = HostSettings.From(Load("steep:\n  cluster:\n    siloPort: 11111\n"), "/tmp/data", [], 1);
        Assert.Null(s.Cluster);
    }

    [Fact]
    public void Every_cluster_key_is_read_from_steep_yaml()
    {
        var s = HostSettings.From(Load(Yaml), "/tmp/data", [], 1);
        var c = Assert.IsType<ClusterSettings>(s.Cluster);
        Assert.Equal("Host=db.example;Username=steep;Database=steep", c.Postgres);
        Assert.Equal("prod", c.Id);
        Assert.Equal("vm-1", c.Name);
        Assert.Equal(IPAddress.Parse("10.0.0.7"), c.AdvertisedAddress);
        Assert.Equal(TimeSpan.FromSeconds(3), c.ProbeTimeout);
        Assert.Equal(4, c.MissedProbesLimit);
        Assert.Equal(TimeSpan.FromMinutes(1), c.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(45), c.DrainTimeout);
        Assert.Equal(11111, s.SiloPort);
        Assert.Equal(30000, s.GatewayPort);
    }

    [Fact]
    public void The_environment_turns_cluster_mode_on_and_overrides_keys()
    {
        var env = new Dictionary<string, string>
        {
            ["STEEP_CLUSTER_POSTGRES"] = "Host=127.0.0.1;Port=5433;Username=postgres",
            ["STEEP_CLUSTER_ID"] = "test",
            ["STEEP_CLUSTER_PROBETIMEOUT"] = "1500ms",
        };
        var c = HostSettings.From(Load("steep: {}\n", env), "/tmp/data", [], 1).Cluster;
        Assert.NotNull(c);
        Assert.Equal("Host=127.0.0.1;Port=5433;Username=postgres", c.Postgres);
        Assert.Equal("test", c.Id);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), c.ProbeTimeout);
    }

    [Fact]
    public void The_defaults_declare_a_killed_silo_dead_within_about_six_to_eight_seconds()
    {
        var c = HostSettings.From(Load("steep:\n  cluster:\n    postgres: Host=db\n"), "/tmp/data", [], 1).Cluster!;
        Assert.Equal("steep", c.Id);
        Assert.Null(c.Name);
        Assert.Equal(IPAddress.Loopback, c.AdvertisedAddress);
        Assert.Equal(TimeSpan.FromSeconds(2), c.ProbeTimeout);
        Assert.Equal(3, c.MissedProbesLimit);
        Assert.InRange(c.ProbeTimeout * c.MissedProbesLimit, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(8));
        Assert.Equal(TimeSpan.FromSeconds(15), c.ResponseTimeout);
        Assert.Equal(TimeSpan.FromSeconds(20), c.DrainTimeout);
    }

    [Fact]
    public void Components_are_all_enabled_unless_switched_off_in_steep_yaml_or_the_environment()
    {
        Assert.Equal(Components.All, HostSettings.From(Load("steep: {}\n"), "/tmp/data", [], 1).Components);
        var yaml = "steep:\n  controller:\n    enabled: false\n  http:\n    enabled: false\n";
        var env = new Dictionary<string, string> { ["STEEP_SCHEDULER_ENABLED"] = "false", ["STEEP_HTTP_ENABLED"] = "true" };
        var c = HostSettings.From(Load(yaml, env), "/tmp/data", [], 1).Components;
        Assert.Equal(new Components(Http: true, Controller: false, Scheduler: false, Agent: true), c);
    }

    [Fact]
    public void A_component_switch_that_is_not_true_or_false_names_the_key()
    {
        var e = Assert.Throws<ModelFormatException>(() => HostSettings.From(Load("steep:\n  agent:\n    enabled: maybe\n"), "/tmp/data", [], 1));
        Assert.Contains("steep.agent.enabled", e.Message);
        Assert.Contains("STEEP_AGENT_ENABLED", e.Message);
    }

    [Theory]
    [InlineData("postgres: 'Host=db;Bogus=1'", "steep.cluster.postgres", "STEEP_CLUSTER_POSTGRES")]
    [InlineData("probeTimeout: soon", "steep.cluster.probeTimeout", "STEEP_CLUSTER_PROBETIMEOUT")]
    [InlineData("probeTimeout: 10ms", "steep.cluster.probeTimeout", "at least 100ms")]
    [InlineData("numMissedProbesLimit: 0", "steep.cluster.numMissedProbesLimit", "from 1 to 100")]
    [InlineData("responseTimeout: 1h 2x", "steep.cluster.responseTimeout", "STEEP_CLUSTER_RESPONSETIMEOUT")]
    [InlineData("drainTimeout: -1s", "steep.cluster.drainTimeout", "STEEP_CLUSTER_DRAINTIMEOUT")]
    [InlineData("advertisedAddress: no-such-host.invalid", "steep.cluster.advertisedAddress", "no-such-host.invalid")]
    public void A_bad_cluster_value_names_the_key(string line, string key, string alsoSaid)
    {
        var yaml = "steep:\n  cluster:\n    " + (line.StartsWith("postgres", StringComparison.Ordinal) ? line : "postgres: Host=db\n    " + line) + "\n";
        var e = Assert.Throws<ModelFormatException>(() => HostSettings.From(Load(yaml), "/tmp/data", [], 1));
        Assert.Contains(key, e.Message);
        Assert.Contains(alsoSaid, e.Message);
    }
}
