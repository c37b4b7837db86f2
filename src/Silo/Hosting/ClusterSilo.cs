using System.Net;
using Orleans.Configuration;
using Steep.Persistence.Postgres;

namespace Steep.Silo.Hosting;

/// <summary>
/// The Orleans side of cluster mode: membership and reminders through Orleans' ADO.NET providers on the cluster's
/// PostgreSQL database (tables made by the registry's migrations), endpoints and failure-detection timing.
/// </summary>
public static class ClusterSilo
{
    /// <summary>The ADO.NET invariant of Npgsql.</summary>
    public const string Invariant = "Npgsql";

    /// <summary>
    /// The Orleans service id of every Steep cluster: reminders are stored under it, so it must not change between
    /// deployments (the cluster id may).
    /// </summary>
    public const string ServiceId = "steep";

    /// <summary>
    /// Configures <paramref name="silo"/> as a member of the cluster <paramref name="cluster"/> listening on
    /// <paramref name="siloPort"/> (and <paramref name="gatewayPort"/> when above 0). The database must have been
    /// migrated before the silo starts (<see cref="Persistence.Postgres.PostgresStore.OpenAsync"/>).
    /// </summary>
    public static void Configure(ISiloBuilder silo, ClusterSettings cluster, int siloPort, int gatewayPort)
    {
        var connection = PostgresStore.OrleansConnectionString(cluster.Postgres);
        silo.UseAdoNetClustering(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connection;
        });
        silo.UseAdoNetReminderService(o =>
        {
            o.Invariant = Invariant;
            o.ConnectionString = connection;
        });
        // Orleans' default directory deactivates every activation whose directory entry was kept by a silo that dies, on
        // the survivors too: agents would kill the chains they run, the scheduler would forget its queue. Agents, the
        // scheduler and submissions therefore register in Orleans' distributed directory (AddSteepPlacement), which
        // recovers the entries from the survivors. (Making it the default as well is not possible: Orleans registers the
        // distributed directory once, under the first name it is added with.)
        // After an ungraceful loss, the directory keeps the lost silo's grains from being activated elsewhere for a lease
        // counted from the estimated moment of failure (the declaration minus the detection window): Orleans' 30 s held
        // the scheduler and the lost silo's submissions for about 24 s after the declaration (measured). Window + 2 s
        // frees them 2 s after it, when the others have not heard from the silo for the whole window; a silo declared dead
        // that still runs learns it from the first message the others reject, and stops.
        silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = cluster.ProbeTimeout * cluster.MissedProbesLimit + TimeSpan.FromSeconds(2));
        silo.Configure<ClusterOptions>(o =>
        {
            o.ClusterId = cluster.Id;
            o.ServiceId = ServiceId;
        });
        // Loopback: a cluster on this machine, reachable from nowhere else. Any other address: listen everywhere, as the
        // address may belong to a NAT or container network the process cannot bind directly.
        var listen = IPAddress.IsLoopback(cluster.AdvertisedAddress) ? cluster.AdvertisedAddress : IPAddress.Any;
        silo.Configure<EndpointOptions>(o =>
        {
            o.AdvertisedIPAddress = cluster.AdvertisedAddress;
            o.SiloPort = siloPort;
            o.GatewayPort = gatewayPort;
            o.SiloListeningEndpoint = new IPEndPoint(listen, siloPort);
            o.GatewayListeningEndpoint = gatewayPort > 0 ? new IPEndPoint(listen, gatewayPort) : null;
        });
        silo.Configure<SiloOptions>(o => o.SiloName = cluster.Name ?? $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId}");
        silo.Configure<ClusterMembershipOptions>(o =>
        {
            o.ProbeTimeout = cluster.ProbeTimeout;
            // Orleans 10 adapts each probe's timeout between half and four times ProbeTimeout and lets it grow while
            // probes fail: a hung silo (sockets open, no answers) was declared dead only after about 25 s (measured).
            // Capped at ProbeTimeout, it is missed probes x ProbeTimeout plus the vote. A silo that is only busy is
            // protected by the connection check (no votes while its connection still carries messages) and by the
            // extension of the timeout while the probing silo itself is degraded.
            o.MaxProbeTimeout = cluster.ProbeTimeout;
            o.EnableConnectionLivenessCheck = true;
            o.ExtendProbeTimeoutDuringDegradation = true;
            o.NumMissedProbesLimit = cluster.MissedProbesLimit;
            // A row whose heartbeat is older than 2 x this period is stale: a silo that starts does not wait to reach
            // it before it joins, and it does not count among the voters when the silo is declared dead. With Orleans'
            // 30 s, a silo started after every silo of the cluster was killed (on a new address or port: one on its old
            // one declares its predecessor dead at once, see SiloPortFile) waited for 60 s of staleness and the join's
            // back-off before it could declare them dead alone: 94 s (measured). 5 s: 10 s, for a write per silo every 5 s.
            // A heartbeat that cannot be written (the database restarting) only makes the row stale; it is no vote.
            o.IAmAliveTablePublishTimeout = TimeSpan.FromSeconds(5);
        });
        silo.Configure<SiloMessagingOptions>(o => o.ResponseTimeout = cluster.ResponseTimeout);
    }
}
