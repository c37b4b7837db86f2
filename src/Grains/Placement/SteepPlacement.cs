using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Steep.Grains.Placement;

/// <summary>
/// Registers Steep's placement (<see cref="SiloBoundPlacement"/>) and the grain directory of silo-bound grains
/// (<see cref="DurableDirectory"/>) with a silo; every silo of a Steep cluster needs both.
/// </summary>
public static class SteepPlacement
{
    /// <summary>The grain directory that outlives the death of another silo: agents, silo grains, the scheduler and submissions register in it (<c>[GrainDirectory(DurableDirectory)]</c>).</summary>
    public const string DurableDirectory = "steep-durable";

    /// <summary>Adds the director of <see cref="SiloBoundPlacement"/> and the directory <see cref="DurableDirectory"/>.</summary>
    public static ISiloBuilder AddSteepPlacement(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        // Orleans' default directory (a hash ring over the silos) deactivates every activation whose entry was in the
        // partition of a silo that died, wherever that activation lives: a SIGKILL of one silo deactivated about half
        // of the survivors' agents (measured: the agents lost their registration, and their running chains would be
        // killed). The distributed directory recovers a dead silo's partition from the activations the survivors
        // still have, so an agent lives as long as its own silo. Only the grains marked with it use it (per-chain grains reload
        // from the registry when activated again).
#pragma warning disable ORLEANSEXP003 // experimental in Orleans 10; chosen for the recovery described above
        silo.AddDistributedGrainDirectory(DurableDirectory);
#pragma warning restore ORLEANSEXP003
        return silo;
    }
}
