using System.Net;
using System.Net.Sockets;
using Npgsql;
using Steep.Core.Serialization;
using Steep.Silo.Configuration;

namespace Steep.Silo.Hosting;

/// <summary>
/// Cluster mode (<c>steep.cluster.*</c>): the silo joins the other silos of the cluster through PostgreSQL (Orleans'
/// ADO.NET membership and reminders) and keeps the registry there instead of in SQLite.
/// </summary>
public sealed record ClusterSettings
{
    /// <summary>
    /// How long a probe of another silo may take before it counts as missed (Steep also caps Orleans' adaptive probe
    /// timeout at it). With <see cref="MissedProbesLimit"/> 3 a silo that stops answering is declared dead after three
    /// missed probes and the vote, about 6–8 s; a killed one sooner, as its refused connections fail the probes at once
    /// (Orleans' 5 s gives 14–17 s). Shorter makes a busy, not dead, silo more likely to be suspected on a loaded machine.
    /// </summary>
    public static readonly TimeSpan DefaultProbeTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Missed probes (by one prober) before a silo is suspected: Orleans' default.</summary>
    public const int DefaultMissedProbesLimit = 3;

    /// <summary>
    /// How long a grain call waits for its answer (Orleans' default is 30 s). Steep's calls are short: chains run in
    /// the background and report back by one-way messages, so a call still unanswered after this long went to a silo
    /// that is gone or stuck, and its caller should give up and go on.
    /// </summary>
    public static readonly TimeSpan DefaultResponseTimeout = TimeSpan.FromSeconds(15);

    /// <summary>
    /// How long a silo stopping on SIGTERM lets its running chains finish before it kills them and hands them back to
    /// REGISTERED (other silos run them again). It fits in a container platform's usual grace period (Kubernetes 30 s).
    /// </summary>
    public static readonly TimeSpan DefaultDrainTimeout = TimeSpan.FromSeconds(20);

    /// <summary>The Npgsql connection string of the cluster's database (registry, membership, reminders).</summary>
    public required string Postgres { get; init; }

    /// <summary>The Orleans cluster id: silos with the same id (and database) form one cluster.</summary>
    public string Id { get; init; } = "steep";

    /// <summary>This silo's name in the membership table; null: host name and process id.</summary>
    public string? Name { get; init; }

    /// <summary>
    /// The address other silos and Orleans clients reach this silo at. Loopback (the default) means a cluster of silos
    /// on this machine only; with any other address the silo listens on all interfaces.
    /// </summary>
    public IPAddress AdvertisedAddress { get; init; } = IPAddress.Loopback;

    /// <summary>See <see cref="DefaultProbeTimeout"/>.</summary>
    public TimeSpan ProbeTimeout { get; init; } = DefaultProbeTimeout;

    /// <summary>See <see cref="DefaultMissedProbesLimit"/>.</summary>
    public int MissedProbesLimit { get; init; } = DefaultMissedProbesLimit;

    /// <summary>See <see cref="DefaultResponseTimeout"/>.</summary>
    public TimeSpan ResponseTimeout { get; init; } = DefaultResponseTimeout;

    /// <summary>See <see cref="DefaultDrainTimeout"/>; zero hands running chains back at once.</summary>
    public TimeSpan DrainTimeout { get; init; } = DefaultDrainTimeout;

    /// <summary>
    /// The cluster settings of <paramref name="config"/>, or null when <c>steep.cluster.postgres</c> (or
    /// <c>STEEP_CLUSTER_POSTGRES</c>) is not set: embedded mode.
    /// </summary>
    /// <exception cref="ModelFormatException">a value is malformed; the message names the key.</exception>
    public static ClusterSettings? From(SteepConfiguration config)
    {
        const string postgresKey = "steep.cluster.postgres";
        var postgres = config.GetString(postgresKey);
        if (string.IsNullOrWhiteSpace(postgres)) return null;
        try
        {
            _ = new NpgsqlConnectionStringBuilder(postgres);
        }
        catch (ArgumentException e)
        {
            // the message of Npgsql names the bad keyword; the connection string itself may hold a password
            throw new ModelFormatException(
                $"configuration '{postgresKey}' (or {SteepConfiguration.EnvironmentName(postgresKey)}) is not an Npgsql connection string " +
                $"such as 'Host=db;Username=steep;Password=...;Database=steep': {e.Message}");
        }
        var id = config.GetString("steep.cluster.id") ?? "steep";
        if (id.Length is 0 or > 150 || id.Any(char.IsControl))
            throw new ModelFormatException($"configuration 'steep.cluster.id' must be 1 to 150 printable characters, not '{id}'");
        int missed = config.GetInt("steep.cluster.numMissedProbesLimit", DefaultMissedProbesLimit);
        if (missed is < 1 or > 100)
            throw new ModelFormatException($"configuration 'steep.cluster.numMissedProbesLimit' must be from 1 to 100, not {missed}");
        return new ClusterSettings
        {
            Postgres = postgres,
            Id = id,
            Name = config.GetString("steep.cluster.name"),
            AdvertisedAddress = Address(config.GetString("steep.cluster.advertisedAddress")),
            ProbeTimeout = config.GetDuration("steep.cluster.probeTimeout", DefaultProbeTimeout, TimeSpan.FromMilliseconds(100)),
            MissedProbesLimit = missed,
            ResponseTimeout = config.GetDuration("steep.cluster.responseTimeout", DefaultResponseTimeout, TimeSpan.FromSeconds(1)),
            DrainTimeout = config.GetDuration("steep.cluster.drainTimeout", DefaultDrainTimeout, TimeSpan.Zero),
        };
    }

    private static IPAddress Address(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return IPAddress.Loopback;
        if (IPAddress.TryParse(value, out var ip)) return ip;
        try
        {
            // a host name: the silo advertises one address, and silos compare addresses, so take the first IPv4 one
            var addresses = Dns.GetHostAddresses(value);
            return addresses.FirstOrDefault(a => a.AddressFamily == AddressFamily.InterNetwork) ?? addresses.First();
        }
        catch (Exception e) when (e is SocketException or InvalidOperationException or ArgumentException)
        {
            throw new ModelFormatException(
                $"configuration 'steep.cluster.advertisedAddress' must be an IP address or a host name that resolves, not '{value}': {e.Message}");
        }
    }
}
