namespace Steep.Grains.Placement;

/// <summary>
/// Places a grain on the silo its key names (<see cref="SiloBoundKey"/>), and on no other: grains that act on their
/// machine (agents run processes and hold their logs) must not move when they are activated again from elsewhere.
/// </summary>
[GenerateSerializer, Immutable, Alias("steep.SiloBoundPlacement")]
public sealed class SiloBoundPlacement : PlacementStrategy
{
    /// <summary>The one instance every grain class with <see cref="SiloBoundPlacementAttribute"/> shares.</summary>
    public static SiloBoundPlacement Instance { get; } = new();
}
