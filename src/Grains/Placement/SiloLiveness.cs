namespace Steep.Grains.Placement;

/// <summary>What the cluster's membership says of the silo a silo-bound key (<see cref="SiloBoundKey"/>) names.</summary>
public static class SiloLiveness
{
    /// <summary>
    /// Whether the silo <paramref name="key"/> names is gone: every member of that name is dead. A key that names no
    /// member (ids chosen by hand in a single-silo setup) lives on whichever silo asks, which is not gone.
    /// </summary>
    public static bool IsGone(ClusterMembershipSnapshot snapshot, string key)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        foreach (var name in SiloBoundKey.Candidates(key))
        {
            bool named = false;
            foreach (var member in snapshot.Members.Values)
            {
                if (member.Name != name) continue;
                if (member.Status != SiloStatus.Dead) return false;
                named = true;
            }
            if (named) return true;
        }
        return false;
    }
}
