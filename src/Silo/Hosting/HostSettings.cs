using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Agent;
using Steep.Grains;
using Steep.Plugins;
using Steep.Silo.Configuration;

namespace Steep.Silo.Hosting;

/// <summary>Everything an embedded instance is started with, from conf/steep.yaml, the environment and the command line.</summary>
public sealed record HostSettings
{
    /// <summary>Where the database, logs and (by default) generated files live.</summary>
    public required string DataDirectory { get; init; }
    /// <summary>Base directory of temporary outputs.</summary>
    public required string TmpPath { get; init; }
    /// <summary>Base directory of stored outputs.</summary>
    public required string OutPath { get; init; }
    /// <summary>"sqlite" or "memory"; ignored in cluster mode, where the registry is on PostgreSQL.</summary>
    public string StoreKind { get; init; } = "sqlite";
    /// <summary>Number of local agents.</summary>
    public int AgentCount { get; init; } = Environment.ProcessorCount;
    /// <summary>Capabilities of the local agents.</summary>
    public IReadOnlyList<string> AgentCapabilities { get; init; } = [];
    /// <summary>Service metadata.</summary>
    public IReadOnlyList<Service> Services { get; init; } = [];
    /// <summary>Macros that <c>include</c> actions of workflows submitted to the silo may use.</summary>
    public IReadOnlyDictionary<string, Macro> Macros { get; init; } = new Dictionary<string, Macro>();
    /// <summary>Directory of each service's metadata file, for relative service paths.</summary>
    public IReadOnlyDictionary<string, string> ServiceDirectories { get; init; } = new Dictionary<string, string>();
    /// <summary>Extra <c>docker run -v</c> volumes.</summary>
    public IReadOnlyList<string> DockerVolumes { get; init; } = [];
    /// <summary>Extra <c>docker run -e</c> variables.</summary>
    public IReadOnlyDictionary<string, string> DockerEnvironment { get; init; } = new Dictionary<string, string>();
    /// <summary>HTTP host to bind.</summary>
    public string HttpHost { get; init; } = "127.0.0.1";
    /// <summary>HTTP port.</summary>
    public int HttpPort { get; init; } = 8080;
    /// <summary>Orleans silo-to-silo port on 127.0.0.1; null: any free port.</summary>
    public int? SiloPort { get; init; }
    /// <summary>Orleans gateway port (for Orleans clients) on 127.0.0.1; null: no gateway for run/resume, 30000 (or any free port when taken) for serve.</summary>
    public int? GatewayPort { get; init; }
    /// <summary>Cluster mode (<c>steep.cluster.postgres</c> set): membership, reminders and registry on PostgreSQL; null: embedded.</summary>
    public ClusterSettings? Cluster { get; init; }
    /// <summary>Which components run in this instance (<c>steep.*.enabled</c>); all by default.</summary>
    public Components Components { get; init; } = Components.All;
    /// <summary>When set, the HTTP API requires <c>Authorization: Bearer &lt;token&gt;</c> (all but /health).</summary>
    public string? HttpToken { get; init; }

    /// <summary>Steep's home folder (the one holding <c>conf/</c>): plugin descriptors and relative script paths are found there.</summary>
    public string Home { get; init; } = Directory.GetCurrentDirectory();
    /// <summary><c>steep.plugins</c> (STEEP_PLUGINS): a plugin descriptor file or folder instead of <c>conf/plugins/</c>.</summary>
    public string? PluginsLocation { get; init; }
    /// <summary>The loaded plugins (<see cref="PluginStartup.LoadAsync"/>); none by default.</summary>
    public PluginSet Plugins { get; init; } = PluginSet.Empty;
    /// <summary>Estimated progress of running chains, written by progress estimator plugins, read by the HTTP API.</summary>
    public ChainProgress Progress { get; init; } = new();

    /// <summary>The largest request body (a submitted workflow) the HTTP API reads; larger ones get 413.</summary>
    public long HttpMaxBodySize { get; init; } = 10 * 1024 * 1024;
    /// <summary>How deep and how far (YAML aliases) a submitted workflow may expand.</summary>
    public ReadLimits ReadLimits { get; init; } = ReadLimits.Default;
    /// <summary>
    /// <c>steep.controller.maxRegisteredChains</c>: how many chains of one submission may wait or run at once; for-each
    /// items beyond them are unrolled as chains finish. 0: every item at once, as Steep does.
    /// </summary>
    public int MaxRegisteredChains { get; init; } = SteepServices.DefaultMaxRegisteredChains;
    /// <summary><c>steep.http.maxForEachItems</c>: the most for-each iterations one workflow may declare; 0: no limit.</summary>
    public long MaxForEachItems { get; init; } = SteepServices.DefaultMaxForEachItems;

    /// <summary>Builds the settings; command-line values (when not null) win over configuration.</summary>
    public static HostSettings From(SteepConfiguration config, string? dataDir, string[]? serviceFiles, int? agents)
    {
        var data = dataDir is not null ? Path.GetFullPath(dataDir) : config.GetPath("steep.dataDir", ".steep");
        var files = serviceFiles is { Length: > 0 } ? serviceFiles.Select(Path.GetFullPath).ToList() : DefaultServiceFiles(config.Home);
        var services = new Dictionary<string, Service>();
        var dirs = new Dictionary<string, string>();
        foreach (var f in files)
        {
            if (!File.Exists(f)) throw new ModelFormatException($"{f}: service metadata file not found");
            foreach (var s in ModelReader.ReadServices(File.ReadAllText(f), f))
            {
                services[s.Id] = s;
                dirs[s.Id] = Path.GetDirectoryName(f)!;
            }
        }
        int count = agents ?? config.GetInt("steep.agent.instances", 0);
        if (count < 0) throw new ModelFormatException($"the number of agents must be 0 (one per core) or more, not {count}");
        var kind = (config.GetString("steep.store.kind") ?? "sqlite").ToLowerInvariant();
        if (kind is not ("sqlite" or "memory"))
            throw new ModelFormatException($"configuration 'steep.store.kind' must be 'sqlite' or 'memory', not '{kind}'");
        return new HostSettings
        {
            DataDirectory = data,
            Home = config.Home,
            PluginsLocation = config.GetString("steep.plugins"),
            TmpPath = config.GetString("steep.tmpPath") is { } tp ? Path.GetFullPath(tp, config.Home) : Path.Combine(data, "tmp"),
            OutPath = config.GetString("steep.outPath") is { } op ? Path.GetFullPath(op, config.Home) : Path.Combine(data, "out"),
            StoreKind = kind,
            AgentCount = count == 0 ? Environment.ProcessorCount : count,
            AgentCapabilities = config.GetList("steep.agent.capabilities"),
            Services = services.Values.ToList(),
            ServiceDirectories = dirs,
            DockerVolumes = config.GetList("steep.runtimes.docker.volumes"),
            DockerEnvironment = config.GetMap("steep.runtimes.docker.env"),
            HttpHost = config.GetString("steep.http.host") ?? "127.0.0.1",
            HttpPort = config.GetInt("steep.http.port", 8080),
            HttpToken = config.GetString("steep.http.token"),
            SiloPort = Port(config, "steep.cluster.siloPort"),
            GatewayPort = Port(config, "steep.cluster.gatewayPort"),
            Cluster = ClusterSettings.From(config),
            Components = Components.From(config, Components.All),
            HttpMaxBodySize = config.GetLong("steep.http.maxBodySize", 10 * 1024 * 1024, min: 1),
            MaxForEachItems = config.GetLong("steep.http.maxForEachItems", SteepServices.DefaultMaxForEachItems, min: 0),
            MaxRegisteredChains = (int)Math.Min(int.MaxValue,
                config.GetLong("steep.controller.maxRegisteredChains", SteepServices.DefaultMaxRegisteredChains, min: 0)),
            ReadLimits = new ReadLimits
            {
                MaxDepth = config.GetInt("steep.http.maxDepth", ReadLimits.Default.MaxDepth),
                MaxAliasNodes = config.GetInt("steep.http.maxAliasNodes", ReadLimits.Default.MaxAliasNodes),
                MaxAliasChars = config.GetLong("steep.http.maxAliasChars", ReadLimits.Default.MaxAliasChars),
            }.Checked(),
        };
    }

    private static int? Port(SteepConfiguration config, string key)
    {
        if (config.GetString(key) is null) return null;
        int port = config.GetInt(key, 0);
        if (port is < 0 or > 65535)
            throw new ModelFormatException($"configuration '{key}' must be a port from 1 to 65535 (or 0 for any free port), not {port}");
        return port;
    }

    /// <summary>conf/services/*.yaml|yml|json below <paramref name="home"/>, in name order.</summary>
    public static List<string> DefaultServiceFiles(string home)
    {
        var dir = Path.Combine(home, "conf", "services");
        if (!Directory.Exists(dir)) return [];
        return Directory.EnumerateFiles(dir)
            .Where(f => f.EndsWith(".yaml", StringComparison.Ordinal) || f.EndsWith(".yml", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
    }
}
