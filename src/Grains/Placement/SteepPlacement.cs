using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;

namespace Steep.Grains.Placement;

/// <summary>Registers Steep's placement (<see cref="SiloBoundPlacement"/>) with a silo; every silo of a Steep cluster needs it.</summary>
public static class SteepPlacement
{
    /// <summary>Adds the director of <see cref="SiloBoundPlacement"/>.</summary>
    public static ISiloBuilder AddSteepPlacement(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
        silo.Services.AddPlacementDirector<SiloBoundPlacement, SiloBoundPlacementDirector>();
        return silo;
    }
}
