using System.CommandLine;
using Steep.Core.Serialization;
using Steep.Silo.Configuration;
using Steep.Silo.Hosting;

namespace Steep.Silo.Commands;

/// <summary>
/// <c>steep agent</c>: a silo of a cluster that only hosts local agents (like a Steep instance with only the agent
/// enabled): no HTTP API, no submissions, no scheduler; it runs the chains the cluster's scheduler gives its agents
/// until SIGTERM, which drains it (see <c>steep.cluster.drainTimeout</c>).
/// </summary>
internal static class AgentCommand
{
    public static Command Create()
    {
        var data = new Option<string?>("--data") { Description = "Data directory: logs of the chains run here (default: steep.dataDir, .steep)" };
        var services = new Option<string[]>("--services") { Description = "Service metadata files (default: conf/services/*)", AllowMultipleArgumentsPerToken = true };
        var agents = new Option<int?>("--agents") { Description = "Number of local agents (default: steep.agent.instances, one per core)" };
        var capabilities = new Option<string?>("--capabilities") { Description = "Capabilities of the local agents, comma-separated (default: steep.agent.capabilities)" };
        var cmd = new Command("agent", "Join a cluster (steep.cluster.postgres) as a silo that only runs chains on its local agents")
        {
            data, services, agents, capabilities,
        };
        cmd.SetAction((pr, ct) => CommandErrors.RunAsync(async () =>
        {
            var config = SteepConfiguration.Load(Environment.GetEnvironmentVariable("STEEP_HOME") ?? Directory.GetCurrentDirectory());
            var settings = HostSettings.From(config, pr.GetValue(data), pr.GetValue(services), pr.GetValue(agents));
            if (settings.Cluster is null)
                throw new ModelFormatException("`steep agent` joins a cluster, but none is configured: set steep.cluster.postgres " +
                    "(or STEEP_CLUSTER_POSTGRES) to the cluster's database, or use `steep serve` on its own");
            settings = settings with { Components = Components.AgentOnly };
            if (pr.GetValue(capabilities) is { } caps)
                settings = settings with { AgentCapabilities = caps.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) };
            settings = await PluginStartup.LoadAsync(settings, ct);
            return await RunSiloAsync(settings, gateway: false, ct);
        }));
        return cmd;
    }

    /// <summary>A silo without the HTTP API, until the token (Ctrl-C, SIGTERM) stops it: <c>steep agent</c>, or <c>serve</c> with <c>steep.http.enabled: false</c>.</summary>
    internal static async Task<int> RunSiloAsync(HostSettings settings, bool gateway, CancellationToken ct)
    {
        await using var steep = await SteepHost.StartAsync(settings, ct, gateway);
        if (settings.Components.Controller)
        {
            var resumed = await steep.ResumeAllAsync(ct);
            if (resumed.Count > 0) Console.Error.WriteLine($"resumed {resumed.Count} unfinished submission(s)");
        }
        var parts = new[] { ("controller", settings.Components.Controller), ("scheduler", settings.Components.Scheduler) }
            .Where(p => p.Item2).Select(p => p.Item1).ToList();
        Console.Error.WriteLine($"data directory {settings.DataDirectory}, {steep.AgentIds.Count} agents" +
            (settings.AgentCapabilities.Count > 0 ? $" with capabilities {string.Join(", ", settings.AgentCapabilities)}" : "") +
            (parts.Count > 0 ? $", {string.Join(" and ", parts)}" : "") + "; no HTTP API" +
            (steep.GatewayPort > 0 ? $", Orleans gateway on port {steep.GatewayPort}" : ""));
        Console.WriteLine($"Running {steep.AgentIds.Count} agents");
        Console.Out.Flush();
        try
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        catch (OperationCanceledException)
        {
            // Ctrl-C or SIGTERM: disposing the host drains the silo and leaves the cluster
        }
        return 0;
    }
}
