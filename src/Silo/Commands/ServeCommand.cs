using System.CommandLine;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Silo.Configuration;
using Steep.Silo.Hosting;

namespace Steep.Silo.Commands;

/// <summary>
/// <c>steep serve</c>: silo, HTTP API, local agents and embedded store in one process, until Ctrl-C or SIGTERM.
/// Stopping stops taking requests, ends open event streams, kills running chains (they go back to REGISTERED and
/// run again on the next start) and closes the store; unfinished submissions resume on the next start.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var host = new Option<string?>("--host") { Description = "Address to listen on (default: steep.http.host, 127.0.0.1)" };
        var port = new Option<int?>("--port") { Description = "Port to listen on, 0 for any free one (default: steep.http.port, 8080)" };
        var data = new Option<string?>("--data") { Description = "Data directory (default: steep.dataDir, .steep)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files (default: conf/services/*)", AllowMultipleArgumentsPerToken = true };
        var agents = new Option<int?>("--agents") { Description = "Number of local agents (default: one per core)" };
        var macros = CliFiles.MacrosOption();
        var cmd = new Command("serve", "Run Steep as a server: HTTP API, scheduler and local agents; resumes unfinished submissions")
        {
            host, port, data, services, agents, macros,
        };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var config = SteepConfiguration.Load(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());
            var settings = HostSettings.From(config, pr.GetValue(data), pr.GetValue(services), pr.GetValue(agents));
            settings = settings with
            {
                HttpHost = pr.GetValue(host) ?? settings.HttpHost,
                HttpPort = pr.GetValue(port) ?? settings.HttpPort,
            };
            if (settings.HttpPort is < 0 or > 65535)
                throw new ModelFormatException($"the HTTP port must be from 0 to 65535, not {settings.HttpPort}");
            var url = SteepWebServer.Url(settings.HttpHost, settings.HttpPort);
            settings = settings with { Macros = CliFiles.ReadMacros(pr.GetValue(macros)) };
            CheckComponents(settings);
            settings = await PluginStartup.LoadAsync(settings, ct);
            if (!settings.Components.Http) return await AgentCommand.RunSiloAsync(settings, gateway: true, ct);
            return await ServeAsync(settings, url, settings.Macros, ct);
        }));
        return cmd;
    }

    /// <summary>Embedded, one process is the whole of Steep: it cannot leave the controller or scheduler to another silo.</summary>
    internal static void CheckComponents(HostSettings settings)
    {
        if (settings.Cluster is not null) return;
        foreach (var (name, on) in new[] { ("controller", settings.Components.Controller), ("scheduler", settings.Components.Scheduler) })
        {
            if (!on)
                throw new ModelFormatException($"configuration 'steep.{name}.enabled' is false, but without a cluster (steep.cluster.postgres) " +
                    $"no other instance would run the {name}: enable it, or configure a cluster");
        }
    }

    /// <summary>
    /// Builds and starts the web application with the silo in it. When the default gateway port was free a moment ago
    /// but another process took it first (several servers starting at once), it tries again on a free port.
    /// </summary>
    private static async Task<WebApplication> StartWebAndSiloAsync(SteepHost steep, HostSettings settings, string url,
        IReadOnlyDictionary<string, Macro> macros, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            var app = SteepWebServer.Create(steep, url, api =>
                {
                    api.Token = settings.HttpToken;
                    api.Macros = macros;
                    api.MaxWorkflowBytes = settings.HttpMaxBodySize;
                    api.ReadLimits = settings.ReadLimits;
                },
                builder => steep.ConfigureSilo(builder, gateway: true, silo => silo.AddDashboard(), avoidDefaultGateway: attempt > 1));
            app.MapOrleansDashboard("/orleans");
            try
            {
                await app.StartAsync(ct);
                return app;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                await app.DisposeAsync();
                if (settings.GatewayPort is null && attempt < 3 && IsAddressInUse(e)) continue;
                if (e is IOException or InvalidOperationException or SocketException || IsAddressInUse(e))
                    throw new IOException($"cannot listen on {url} (Orleans silo port {steep.SiloPort}, gateway port {steep.GatewayPort}): {e.Message}", e);
                throw;
            }
        }
    }

    private static bool IsAddressInUse(Exception? e)
    {
        for (; e is not null; e = e.InnerException)
        {
            if (e is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse }) return true;
            if (e is AggregateException a && a.InnerExceptions.Any(IsAddressInUse)) return true;
        }
        return false;
    }

    private static async Task<int> ServeAsync(HostSettings settings, string url, IReadOnlyDictionary<string, Macro> macros, CancellationToken ct)
    {
        // disposed last: the registry and the data directory outlive the silo, which stops with the web application
        await using var steep = await SteepHost.OpenAsync(settings, ct);
        var app = await StartWebAndSiloAsync(steep, settings, url, macros, ct);
        await using var _ = app;
        await steep.AttachAsync(app.Services, ct);
        if (settings.Components.Controller)
        {
            var resumed = await steep.ResumeAllAsync(ct);
            if (resumed.Count > 0) Console.Error.WriteLine($"resumed {resumed.Count} unfinished submission(s)");
        }

        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [url];
        Console.Error.WriteLine($"data directory {settings.DataDirectory}, {steep.AgentIds.Count} agents" +
            (string.IsNullOrEmpty(settings.HttpToken) ? "" : ", bearer token required") +
            $"; Orleans gateway on {settings.Cluster?.AdvertisedAddress ?? System.Net.IPAddress.Loopback}:{steep.GatewayPort}, dashboard at /orleans");
        if (settings.Cluster is { } cluster)
        {
            var db = new Npgsql.NpgsqlConnectionStringBuilder(cluster.Postgres);
            Console.Error.WriteLine($"cluster '{cluster.Id}' on PostgreSQL {db.Host}:{db.Port}/{db.Database}, silo port {cluster.AdvertisedAddress}:{steep.SiloPort}" +
                (System.Net.IPAddress.IsLoopback(cluster.AdvertisedAddress)
                    ? " (loopback: only silos on this machine can join; steep.cluster.advertisedAddress sets another)" : ""));
        }
        if (settings.GatewayPort is null && steep.GatewayPort != SteepHost.DefaultGatewayPort)
            Console.Error.WriteLine($"the Orleans gateway port {SteepHost.DefaultGatewayPort} is taken; using {steep.GatewayPort} " +
                "(steep.cluster.gatewayPort or STEEP_CLUSTER_GATEWAYPORT chooses one)");
        foreach (var a in addresses) Console.WriteLine($"Listening on {a}");
        Console.Out.Flush();

        // returns once the token (Ctrl-C, SIGTERM) has stopped the server gracefully
        await app.WaitForShutdownAsync(ct);
        Console.Error.WriteLine(settings.Cluster is null
            ? "stopping: running process chains are killed and will run again on the next start"
            : "stopped: this silo left the cluster; the other silos go on with its submissions");
        return 0;
    }
}
