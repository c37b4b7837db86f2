using Orleans.Metadata;
using Orleans.Placement;

namespace Steep.Silo.Hosting;

/// <summary>
/// A placement filter (Orleans' own mechanism): a grain type that belongs to a component (the scheduler, the controller's
/// submissions) is placed only on silos that run that component (<see cref="Components"/>), as their silo metadata says.
/// </summary>
public sealed class ComponentPlacementFilter : PlacementFilterStrategy
{
    /// <summary>For Orleans, which initializes it from the grain type's properties.</summary>
    public ComponentPlacementFilter() : this("")
    {
    }

    /// <summary>A filter for the grains of <paramref name="component"/> (<c>scheduler</c>, <c>controller</c>).</summary>
    public ComponentPlacementFilter(string component) : base(order: 0) => Component = component;

    /// <summary>The component whose silos may host the grain.</summary>
    public string Component { get; private set; }

    /// <inheritdoc />
    public override void AdditionalInitialize(GrainProperties properties) =>
        Component = GetPlacementFilterGrainProperty("component", properties) ?? "";

    /// <inheritdoc />
    protected override IEnumerable<KeyValuePair<string, string>> GetAdditionalGrainProperties(IServiceProvider services, Type grainClass,
        GrainType grainType, IReadOnlyDictionary<string, string> existingProperties)
    {
        yield return new KeyValuePair<string, string>("component", Component);
    }
}
