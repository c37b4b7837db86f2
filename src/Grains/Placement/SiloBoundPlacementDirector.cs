using Orleans.Runtime.Placement;

namespace Steep.Grains.Placement;

/// <summary>
/// Places a silo-bound grain (<see cref="SiloBoundPlacement"/>) on the active silo its key names, wherever the call that
/// activates it comes from. A key naming a silo that has left or died is refused with
/// <see cref="SiloUnavailableException"/> rather than activated elsewhere (an agent on the wrong machine would run its
/// chains there); a key naming no silo the cluster has known is placed on the calling silo, as
/// <c>PreferLocalPlacement</c> would (ids chosen by hand in a single-silo setup).
/// </summary>
public sealed class SiloBoundPlacementDirector(IClusterMembershipService membership) : IPlacementDirector
{
    /// <inheritdoc />
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        var key = target.GrainIdentity.Key.ToString();
        var compatible = context.GetCompatibleSilos(target);
        var members = membership.CurrentSnapshot.Members.Values;
        foreach (var name in SiloBoundKey.Candidates(key))
        {
            var named = members.Where(m => m.Name == name).ToList();
            if (named.Count == 0) continue;
            var active = named.Where(m => m.Status == SiloStatus.Active && compatible.Contains(m.SiloAddress)).ToList();
            // the caller's own silo first when names repeat (a restarted silo before its predecessor is declared dead
            // registers its agents from itself), else the youngest incarnation
            if (active.FirstOrDefault(m => m.SiloAddress.Equals(context.LocalSilo)) is { } local) return Task.FromResult(local.SiloAddress);
            if (active.Count > 0) return Task.FromResult(active.MaxBy(m => m.SiloAddress.Generation)!.SiloAddress);
            throw new SiloUnavailableException($"'{key}' lives on silo '{name}', which is not an active member of the cluster " +
                $"(it is {string.Join(", ", named.Select(m => m.Status).Distinct())})");
        }
        if (compatible.Contains(context.LocalSilo)) return Task.FromResult(context.LocalSilo);
        throw new SiloUnavailableException($"'{key}' names no silo of the cluster, and the calling silo cannot host it");
    }
}
