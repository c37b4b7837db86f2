namespace Steep.Grains;

/// <summary>
/// Grain references of one interface by string key, without Orleans resolving the interface's grain type anew on every
/// call (<c>GetGrain&lt;T&gt;</c> looks it up through reflection each time; a few chains' worth of references per chain
/// made that a measurable share of the per-chain cost).
/// </summary>
internal static class GrainRef<T> where T : IGrainWithStringKey
{
    private static (GrainType Type, GrainInterfaceType Interface)? _resolved;

    /// <summary>The reference to the grain of interface <typeparamref name="T"/> with key <paramref name="key"/>.</summary>
    public static T Get(IGrainFactory factory, string key)
    {
        if (_resolved is { } r) return (T)factory.GetGrain(GrainId.Create(r.Type, key), r.Interface);
        var grain = factory.GetGrain<T>(key);
        var reference = (GrainReference)(object)grain;
        _resolved = (reference.GrainId.Type, reference.InterfaceType);
        return grain;
    }
}
