namespace Steep.Grains.Runtime;

/// <summary>The identity of a grain: its grain class and a string key, unique within one runtime.</summary>
public sealed record GrainId
{
    /// <summary>Creates the identity of the grain of class <paramref name="grainType"/> with key <paramref name="key"/>.</summary>
    public GrainId(Type grainType, string key)
    {
        ArgumentNullException.ThrowIfNull(grainType);
        ArgumentNullException.ThrowIfNull(key);
        GrainType = grainType;
        Key = key;
    }

    /// <summary>The grain class (the type registered with <see cref="GrainRuntime.Register{TGrain}"/>).</summary>
    public Type GrainType { get; }

    /// <summary>The key that tells grains of the same class apart.</summary>
    public string Key { get; }

    /// <summary>Returns <c>TypeName/key</c>, the form used in error messages.</summary>
    public override string ToString() => $"{GrainType.Name}/{Key}";
}
