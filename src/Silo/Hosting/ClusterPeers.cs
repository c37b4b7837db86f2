using Orleans.Runtime;
using Steep.Grains;

namespace Steep.Silo.Hosting;

/// <summary>The silos of this silo's cluster as the membership service sees them now, by name, and their <see cref="ISiloGrain"/>s.</summary>
public sealed class ClusterPeers(IClusterMembershipService membership, IGrainFactory grains, string localName)
{
    /// <summary>This silo's name.</summary>
    public string LocalName { get; } = localName;

    /// <summary>The names of the active silos, this one included, in name order.</summary>
    public IReadOnlyList<string> ActiveSilos() => membership.CurrentSnapshot.Members.Values
        .Where(m => m.Status == SiloStatus.Active).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <summary>The names of the other active silos.</summary>
    public IReadOnlyList<string> OtherActiveSilos() => ActiveSilos().Where(n => n != LocalName).ToList();

    /// <summary>Whether a silo of that name is active now.</summary>
    public bool IsActive(string name) => membership.CurrentSnapshot.Members.Values.Any(m => m.Name == name && m.Status == SiloStatus.Active);

    /// <summary>Whether the cluster has known a silo of that name (active, left or dead, until the membership table forgets it).</summary>
    public bool IsKnown(string name) => membership.CurrentSnapshot.Members.Values.Any(m => m.Name == name);

    /// <summary>The per-silo grain of silo <paramref name="name"/>.</summary>
    public ISiloGrain Silo(string name) => grains.GetGrain<ISiloGrain>(name);
}
