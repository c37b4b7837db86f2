using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Configuration;
using Orleans.Runtime;
using Steep.Silo.Hosting;

namespace Steep.Cluster.Tests.Support;

/// <summary>
/// A Steep silo in cluster mode in this process, started the way <c>steep serve</c> starts one (<see cref="SteepHost"/>
/// with its registry, silo configuration and local agent), with a data directory of its own.
/// </summary>
public sealed class TestSilo : IAsyncDisposable
{
    private readonly IHost _host;
    private readonly string _directory;
    private bool _stopped;

    private TestSilo(SteepHost steep, IHost host, string directory)
    {
        Steep = steep;
        _host = host;
        _directory = directory;
        Address = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;
    }

    /// <summary>The Steep instance (registry, events, agents).</summary>
    public SteepHost Steep { get; }

    /// <summary>This silo's address.</summary>
    public SiloAddress Address { get; }

    /// <summary>The silo's grain factory: calls made through it start on this silo.</summary>
    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    /// <summary>The cluster settings of a test silo: the defaults of `steep serve`.</summary>
    public static ClusterSettings Settings(string postgres, string clusterId, string name) => new()
    {
        Postgres = postgres,
        Id = clusterId,
        Name = name,
    };

    /// <summary>Opens the registry (migrating it), starts the silo and registers its agent.</summary>
    public static async Task<TestSilo> StartAsync(ClusterSettings cluster)
    {
        var directory = Path.Combine(Path.GetTempPath(), "steep-cluster-test-" + Guid.NewGuid().ToString("N")[..12]);
        var settings = new HostSettings
        {
            DataDirectory = directory,
            TmpPath = Path.Combine(directory, "tmp"),
            OutPath = Path.Combine(directory, "out"),
            AgentCount = 1,
            Cluster = cluster,
        };
        var steep = await SteepHost.OpenAsync(settings, CancellationToken.None);
        try
        {
            var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
            SteepHost.ConfigureLogging(builder.Logging);
            steep.ConfigureSilo(builder, gateway: true);
            var host = builder.Build();
            await host.StartAsync();
            await steep.AttachAsync(host.Services, CancellationToken.None);
            return new TestSilo(steep, host, directory);
        }
        catch
        {
            await steep.DisposeAsync();
            throw;
        }
    }

    /// <summary>The silos this silo counts as active members of its cluster.</summary>
    public async Task<IReadOnlyCollection<SiloAddress>> ActiveSilosAsync()
    {
        var hosts = await Grains.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return hosts.Keys.ToList();
    }

    /// <summary>Leaves the cluster gracefully (the silo marks itself dead in the membership table).</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _host.StopAsync(timeout.Token);
        }
        finally
        {
            _host.Dispose();
            await Steep.DisposeAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // a log file still being closed; the directory is in the temp folder
        }
    }
}
