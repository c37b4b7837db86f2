using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Serialization;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;
using Steep.Grains;
using Steep.Grains.Placement;
using Steep.Persistence;
using Npgsql;
using Steep.Persistence.InMemory;
using Steep.Persistence.Postgres;
using Steep.Persistence.Sqlite;

namespace Steep.Silo.Hosting;

/// <summary>
/// One embedded Steep instance: an Orleans silo (localhost clustering) with the grains, the registry (SQLite by
/// default) and the local agents. Used by <c>run</c>, <c>resume</c> and <c>serve</c>. Open it, add its silo to a host
/// builder (<see cref="ConfigureSilo"/>), build and start the host, then <see cref="AttachAsync"/>; or do all of it with
/// <see cref="StartAsync"/>.
/// </summary>
public sealed partial class SteepHost : IAsyncDisposable
{
    private readonly IAsyncDisposable? _storeLifetime;
    private readonly DataDirectoryLock _lock;
    private readonly TaskCompletionSource<IGrainFactory> _grains = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IHost? _ownedHost;
    private IHostApplicationLifetime? _lifetime;

    private SteepHost(HostSettings settings, SteepServices services, EventHub events, IAsyncDisposable? storeLifetime, DataDirectoryLock dataLock)
    {
        Settings = settings;
        Services = services;
        Events = events;
        _storeLifetime = storeLifetime;
        _lock = dataLock;
    }

    /// <summary>The settings the host was started with.</summary>
    public HostSettings Settings { get; }

    /// <summary>Stores, services and paths shared with the grains.</summary>
    public SteepServices Services { get; }

    /// <summary>Changes of submissions, chains and agents.</summary>
    public EventHub Events { get; }

    /// <summary>The local agents' ids.</summary>
    public IReadOnlyList<string> AgentIds { get; private set; } = [];

    /// <summary>The Orleans gateway port Orleans clients connect to; 0 when the silo has no gateway.</summary>
    public int GatewayPort { get; private set; }

    /// <summary>The Orleans silo-to-silo port.</summary>
    public int SiloPort { get; private set; }

    /// <summary>Starts everything in a host of its own (no HTTP): <c>run</c>, <c>resume</c> and <c>agent</c>.</summary>
    public static async Task<SteepHost> StartAsync(HostSettings settings, CancellationToken ct, bool gateway = false)
    {
        var steep = await OpenAsync(settings, ct);
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            ConfigureLogging(builder.Logging);
            steep.ConfigureSilo(builder, gateway);
            var host = builder.Build();
            steep._ownedHost = host;
            StartupTrace.Mark("host built");
            await host.StartAsync(ct);
            StartupTrace.Mark("silo started");
            await steep.AttachAsync(host.Services, ct);
            StartupTrace.Mark("agents registered");
            return steep;
        }
        catch
        {
            await steep.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// Takes the data directory (an OS lock), opens the registry (in cluster mode on PostgreSQL, creating or upgrading
    /// its tables and Orleans' there) and prepares the grains' services.
    /// </summary>
    /// <exception cref="DataDirectoryInUseException">another steep process works on the data directory.</exception>
    public static async Task<SteepHost> OpenAsync(HostSettings settings, CancellationToken ct)
    {
        var dataLock = DataDirectoryLock.Acquire(settings.DataDirectory);
        IAsyncDisposable? lifetime = null;
        try
        {
            var paths = new SteepPaths(settings.TmpPath, settings.OutPath, Path.Combine(settings.DataDirectory, "logs"));
            Directory.CreateDirectory(paths.LogPath);

            ISubmissionStore submissions;
            IProcessChainStore chains;
            if (settings.Cluster is { } cluster)
            {
                var postgres = await OpenClusterStoreAsync(cluster, ct);
                submissions = postgres;
                chains = postgres;
                lifetime = postgres;
            }
            else if (settings.StoreKind == "memory")
            {
                var memory = new InMemoryStore();
                submissions = memory;
                chains = memory;
            }
            else
            {
                var sqlite = new SqliteStore(Path.Combine(settings.DataDirectory, "steep.db"));
                submissions = sqlite;
                chains = sqlite;
                lifetime = sqlite;
            }

            var executor = new LocalProcessChainExecutor(new AgentOptions
            {
                Plugins = settings.Plugins.Executor,
                Progress = settings.Progress,
                LogDirectory = paths.LogPath,
                ServiceDirectories = settings.ServiceDirectories,
                DockerVolumes = settings.DockerVolumes,
                DockerEnvironment = settings.DockerEnvironment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            });
            var events = new EventHub();
            // cluster mode: the grains' events reach the other silos' subscribers too
            var relay = settings.Cluster is null ? null : new ClusterEventRelay(events);
            var services = new SteepServices(submissions, chains, settings.Services, paths, executor, (IEventSink?)relay ?? events, TimeProvider.System)
            {
                ServiceDirectories = settings.ServiceDirectories,
                Macros = settings.Macros,
                GeneratorPlugins = settings.Plugins.Generator,
                Progress = settings.Progress,
                MaxRegisteredChains = settings.MaxRegisteredChains,
                MaxForEachItems = settings.MaxForEachItems,
                // In a cluster a chain's first activation is usually on another silo (its agent's): an entry kept here
                // would go stale (a later activation on this silo would take a REGISTERED chain that has run meanwhile,
                // with its run count), so activations read the registry.
                FreshChains = settings.Cluster is null ? new FreshChains() : new FreshChains(capacity: 0),
                // In a cluster the RUNNING is written at once: a chain's grain and its agent may be on different silos,
                // and a chain still REGISTERED in the registry when its grain's silo dies would be queued again while
                // the surviving agent still runs it.
                StartRecordDelay = settings.Cluster is null ? SteepServices.DefaultStartRecordDelay : TimeSpan.Zero,
            };
            return new SteepHost(settings, services, events, lifetime, dataLock) { _relay = relay };
        }
        catch
        {
            if (lifetime is not null) await lifetime.DisposeAsync();
            dataLock.Dispose();
            throw;
        }
    }

    /// <summary>Opens the cluster's registry; a database that cannot be reached is an error naming the host, not a stack trace.</summary>
    private static async Task<PostgresStore> OpenClusterStoreAsync(ClusterSettings cluster, CancellationToken ct)
    {
        try
        {
            return await PostgresStore.OpenAsync(cluster.Postgres, PostgresStore.DefaultSchema, ct);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException && !ct.IsCancellationRequested)
        {
            var target = new NpgsqlConnectionStringBuilder(cluster.Postgres);
            throw new IOException(
                $"cannot open the cluster's PostgreSQL database '{target.Database}' on {target.Host}:{target.Port} " +
                $"(steep.cluster.postgres or STEEP_CLUSTER_POSTGRES): {e.Message}", e);
        }
    }

    /// <summary>Logging of a command-line host: warnings and errors on stderr, one line each; Orleans' own chatter only when it matters.</summary>
    public static void ConfigureLogging(ILoggingBuilder logging)
    {
        logging.ClearProviders();
        logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
        logging.SetMinimumLevel(LogLevel.Warning);
        logging.AddFilter("Orleans", LogLevel.Error);
        // Orleans' placement retries (its Polly pipeline) log every retry towards a silo that has just died as a warning
        // or error; the call's own outcome is what matters, and Steep reports that
        logging.AddFilter("Polly", LogLevel.Critical);
        logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.Critical);
    }

    /// <summary>
    /// Adds the Orleans silo with Steep's grains and services to <paramref name="builder"/>: embedded, localhost
    /// clustering on 127.0.0.1; in cluster mode, membership and reminders on PostgreSQL (<see cref="ClusterSilo"/>).
    /// <paramref name="gateway"/> opens the gateway port for Orleans clients.
    /// </summary>
    /// <param name="builder">The host builder to add the silo to.</param>
    /// <param name="gateway">Whether to open the gateway port.</param>
    /// <param name="configure">More silo configuration (e.g. the Orleans dashboard).</param>
    /// <param name="avoidDefaultGateway">Take a free gateway port instead of the default one (it was taken by another process).</param>
    public void ConfigureSilo(IHostApplicationBuilder builder, bool gateway, Action<ISiloBuilder>? configure = null, bool avoidDefaultGateway = false)
    {
        SiloPort = Settings.SiloPort is > 0 and var s ? s : Settings.Cluster is null ? FreePort() : SiloPortFile.Choose(Settings.DataDirectory, FreePort, IsFree);
        GatewayPort = !gateway ? 0 : Settings.GatewayPort switch
        {
            > 0 and var g => g,
            0 => FreePort(),
            _ => !avoidDefaultGateway && IsFree(DefaultGatewayPort) ? DefaultGatewayPort : FreePort(),
        };
        builder.Services.AddSingleton(Services);
        builder.Services.AddSingleton(Services.Events);
        builder.Services.AddSingleton(Events);
        builder.Services.AddSingleton(_localAgents);
        builder.Services.AddSingleton<SubmissionIntake>();
        builder.UseOrleans(silo =>
        {
            if (Settings.Cluster is { } cluster)
            {
                ClusterSilo.Configure(silo, cluster, SiloPort, GatewayPort);
                ComponentPlacement.Configure(silo, Settings.Components);
            }
            else
            {
                // embedded: a cluster of one; Orleans clients connect with service and cluster id "steep"
                silo.UseLocalhostClustering(SiloPort, GatewayPort, null, serviceId: "steep", clusterId: "steep");
                silo.Configure<EndpointOptions>(o =>
                {
                    o.AdvertisedIPAddress = IPAddress.Loopback;
                    o.SiloListeningEndpoint = new IPEndPoint(IPAddress.Loopback, SiloPort);
                    o.GatewayListeningEndpoint = GatewayPort > 0 ? new IPEndPoint(IPAddress.Loopback, GatewayPort) : null;
                });
                silo.Configure<SiloOptions>(o => o.SiloName = $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}");
            }
            // idle submissions and chains go after two minutes, as before; a resumed submission replays its journal
            silo.Configure<GrainCollectionOptions>(o => o.CollectionAge = TimeSpan.FromMinutes(2));
            // every chain is a grain of its own: Orleans' directory cache (1,000,000 entries by default) would keep an
            // entry for each of a million-chain submission's chains long after they ended
            silo.Configure<GrainDirectoryOptions>(o => o.CacheSize = 10_000);
            silo.Services.AddSerializer(b => b.AddSteepModels());
            silo.AddSteepPlacement(); // agents and the per-silo grain stay on their silo
            configure?.Invoke(silo);
        });
        if (Settings.Cluster is { } c)
        {
            // added after the silo, so stopped before it: the silo drains while it is still a member of the cluster
            builder.Services.AddHostedService(sp => ActivatorUtilities.CreateInstance<ClusterWatch>(sp, this, c));
            builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = c.DrainTimeout + TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>The gateway port of <c>steep serve</c> unless configured (Orleans' usual one).</summary>
    public const int DefaultGatewayPort = 30000;

    /// <summary>
    /// Once the silo runs: puts chains that were RUNNING when the last process stopped back to REGISTERED and registers
    /// the local agents. Grain calls made through this host before it wait for it.
    /// </summary>
    public async Task AttachAsync(IServiceProvider services, CancellationToken ct)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        _lifetime = services.GetService<IHostApplicationLifetime>();

        // What a crashed steep left running in the data directory dies before any chain runs again (this process holds
        // the data directory's lock, so every recorded process is a leftover): no chain ever runs twice at once.
        int killed = await OrphanReaper.KillLeftoversAsync(Settings.DataDirectory, ct);
        if (killed > 0) Console.Error.WriteLine($"killed {killed} process(es) left running by a previous steep in {Settings.DataDirectory}");

        // Embedded mode: every agent lived in this process, so chains that were RUNNING when it stopped run again
        // (at-least-once); SUCCESS chains are never touched. Not in cluster mode: there chains RUNNING in the registry
        // may be running on other silos right now (who hands back a dead silo's chains is the failover's job).
        var orphans = Settings.Cluster is null ? await Services.Chains.ListByStatusAsync(ProcessChainStatus.Running, ct) : [];
        if (orphans.Count > 0)
        {
            await Services.Chains.UpdateManyAsync(orphans.Select(o => new ProcessChainUpdate(o.Chain.Id)
            {
                Status = ProcessChainStatus.Registered, Reset = true,
            }).ToList(), ct);
        }

        // an agent's id names its silo, which places it there and nowhere else (SiloBoundPlacement)
        var siloName = services.GetRequiredService<ILocalSiloDetails>().Name;
        var agentIds = new List<string>();
        for (int i = 1; Settings.Components.Agent && i <= Settings.AgentCount; i++) agentIds.Add(SiloBoundKey.Agent(siloName, i));
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await Task.WhenAll(agentIds.Select(id => grains.GetGrain<IAgentGrain>(id).RegisterAsync(Settings.AgentCapabilities)));
                break;
            }
            catch (Exception e) when (Settings.Cluster is not null && attempt < 5 && e is TimeoutException or OrleansException && !ct.IsCancellationRequested)
            {
                // silos of a cluster that stopped altogether are still members until this one has them declared dead,
                // and the scheduler cannot be placed before: try again
                Console.Error.WriteLine($"agents could not register yet ({e.GetType().Name}); trying again");
            }
        }
        AgentIds = agentIds;
        _localAgents.Ids = agentIds;
        if (Settings.Cluster is not null) AttachCluster(services, grains, siloName);
        _grains.TrySetResult(grains);
    }

    private Task<IGrainFactory> Grains => _grains.Task;

    /// <summary>Completes once <see cref="AttachAsync"/> has registered the local agents; fails when the host stops first.</summary>
    internal Task Attached => _grains.Task;

    private bool IsStopping => _lifetime?.ApplicationStopping.IsCancellationRequested ?? false;

    /// <summary>Resumes every unfinished submission; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> ResumeAllAsync(CancellationToken ct)
    {
        var grains = await Grains.WaitAsync(ct);
        var ids = await Services.Submissions.ListUnfinishedIdsAsync(ct);
        var resumed = new List<string>();
        foreach (var id in ids)
        {
            try
            {
                await grains.GetGrain<ISubmissionGrain>(id).StartAsync();
                resumed.Add(id);
            }
            catch (Exception e) when (Settings.Cluster is not null && e is TimeoutException or OrleansException)
            {
                // its grain cannot be reached while lost silos are being declared dead; the recovery after that resumes it
            }
        }
        return resumed;
    }

    /// <summary>Validates and stores a workflow, then starts it.</summary>
    /// <exception cref="Core.Validation.WorkflowRejectedException">the workflow has problems; nothing was stored.</exception>
    public async Task<Submission> SubmitAsync(Workflow workflow, CancellationToken ct)
    {
        var grains = await Grains.WaitAsync(ct);
        return await new SubmissionIntake(Services, grains).SubmitAsync(workflow, ct);
    }

    /// <summary>Cancels a submission; false if it is unknown.</summary>
    public async Task<bool> CancelAsync(string submissionId, CancellationToken ct)
    {
        if (await Services.Submissions.GetAsync(submissionId, ct) is not { } s) return false;
        // cancelled already: its grain is at it (a second cancel must not queue behind the first one's work)
        if (s.Status == SubmissionStatus.Cancelled) return true;
        var grains = await Grains.WaitAsync(ct);
        await grains.GetGrain<ISubmissionGrain>(submissionId).CancelAsync();
        return true;
    }

    /// <summary>Cancels one process chain; false if it is unknown.</summary>
    public async Task<bool> CancelChainAsync(string chainId, CancellationToken ct)
    {
        if (await Services.Chains.GetAsync(chainId, ct) is null) return false;
        var grains = await Grains.WaitAsync(ct);
        await grains.GetGrain<IProcessChainGrain>(chainId).CancelAsync();
        return true;
    }

    /// <summary>The agents' state: the local ones, in cluster mode those of every active silo.</summary>
    public async Task<IReadOnlyList<AgentInfo>> GetAgentsAsync()
    {
        var grains = await Grains;
        if (_peers is not null) return await GetClusterAgentsAsync();
        var infos = await Task.WhenAll(AgentIds.Select(id => grains.GetGrain<IAgentGrain>(id).GetInfoAsync()));
        return infos.OfType<AgentInfo>().ToList();
    }

    /// <summary>Waits until the given submissions are finished; returns them.</summary>
    public async Task<IReadOnlyList<Submission>> WaitForAsync(IReadOnlyCollection<string> ids, Action<SubmissionEvent>? progress, CancellationToken ct)
    {
        using var sub = Events.Subscribe();
        var pending = new HashSet<string>(ids);
        foreach (var id in ids)
        {
            var s = await Services.Submissions.GetAsync(id, ct);
            if (s is null || SubmissionStatus.IsFinal(s.Status)) pending.Remove(id);
        }
        while (pending.Count > 0)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tick.CancelAfter(TimeSpan.FromSeconds(2));
            bool quiet = false;
            try
            {
                while (sub.Events.TryRead(out var e) || (e = await sub.Events.ReadAsync(tick.Token)) is not null)
                {
                    if (e is not SubmissionEvent se || !pending.Contains(se.SubmissionId)) continue;
                    progress?.Invoke(se);
                    if (SubmissionStatus.IsFinal(se.Status) && se.Running == 0) pending.Remove(se.SubmissionId);
                    if (pending.Count == 0) break;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                quiet = true;
            }
            if (!quiet) continue;
            // no event for a while: look at the store (an event may have been dropped by a full subscription)
            foreach (var id in pending.ToList())
            {
                var s = await Services.Submissions.GetAsync(id, ct);
                if (s is null || (SubmissionStatus.IsFinal(s.Status) && s.EndTime is not null)) pending.Remove(id);
            }
        }
        var result = new List<Submission>();
        foreach (var id in ids) if (await Services.Submissions.GetAsync(id, ct) is { } s) result.Add(s);
        return result;
    }

    /// <summary>
    /// Stops the silo it started (grains are deactivated: running chains are killed and run again on the next
    /// start), closes the registry and releases the data directory. A host built by the caller is stopped by the caller
    /// before.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        _grains.TrySetException(new ObjectDisposedException(nameof(SteepHost), "the steep instance has stopped"));
        if (_ownedHost is not null)
        {
            try
            {
                // a silo of a cluster drains first (its running chains may finish)
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10) + (Settings.Cluster?.DrainTimeout ?? TimeSpan.Zero));
                await _ownedHost.StopAsync(timeout.Token);
            }
            finally
            {
                // the relay sends through the host's grain factory: it stops before the host's services are disposed
                if (_relay is not null) await _relay.DisposeAsync();
                _ownedHost.Dispose();
            }
        }
        else if (_relay is not null) await _relay.DisposeAsync();
        if (_storeLifetime is not null) await _storeLifetime.DisposeAsync();
        OrphanReaper.RemoveSettledJournals(Settings.DataDirectory); // a clean stop leaves no record of its services
        _lock.Dispose();
    }

    /// <summary>
    /// A port free on the loopback now, and never one this process chose before. Hosts started side by side in one
    /// process (tests start two silos at once) each probe before either binds, and the kernel may offer both the same
    /// port: two silos advertising one address, of which Orleans declares the older dead, and a silo told it is dead
    /// ends its process.
    /// </summary>
    internal static int FreePort()
    {
        while (true)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            int port = ((IPEndPoint)socket.LocalEndPoint!).Port;
            if (ChosenPorts.TryAdd(port, 0)) return port;
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, byte> ChosenPorts = new();

    private static bool IsFree(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
