using Orleans.Placement;

namespace Steep.Grains.Placement;

/// <summary>Marks a grain class as placed on the silo its key names (<see cref="SiloBoundPlacement"/>).</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class SiloBoundPlacementAttribute() : PlacementAttribute(SiloBoundPlacement.Instance);
