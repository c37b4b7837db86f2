using Microsoft.Extensions.DependencyInjection;
using Orleans.Metadata;
using Orleans.Placement;
using Orleans.Runtime.MembershipService.SiloMetadata;
using Orleans.Runtime.Placement;
using Steep.Grains;

namespace Steep.Silo.Hosting;

/// <summary>
/// Cluster mode's component switches in placement: each silo publishes which components it runs as Orleans silo
/// metadata, and the scheduler and submission grains get a <see cref="ComponentPlacementFilter"/> that keeps them on
/// silos that run the scheduler or the controller. (A property of the silo's manifest rather than an attribute on the
/// grain classes: silos built without Steep's host, as in the grain tests, place them as before.)
/// </summary>
internal static class ComponentPlacement
{
    /// <summary>Publishes <paramref name="components"/> and adds the filter.</summary>
    public static void Configure(ISiloBuilder silo, Components components)
    {
        silo.UseSiloMetadata(new Dictionary<string, string>
        {
            [Components.MetadataKey("controller")] = components.Controller ? "true" : "false",
            [Components.MetadataKey("scheduler")] = components.Scheduler ? "true" : "false",
            [Components.MetadataKey("agent")] = components.Agent ? "true" : "false",
        });
        // transient: Orleans initializes the strategy it resolves from each grain type's properties
        silo.Services.AddPlacementFilter<ComponentPlacementFilter, Director>(ServiceLifetime.Transient);
        silo.Services.AddSingleton<IGrainPropertiesProvider, Properties>();
    }

    /// <summary>Marks the grain types of the scheduler and the controller with the filter.</summary>
    private sealed class Properties(IServiceProvider services) : IGrainPropertiesProvider
    {
        public void Populate(Type grainClass, GrainType grainType, Dictionary<string, string> properties)
        {
            var component = grainClass == typeof(SchedulerGrain) ? "scheduler" : grainClass == typeof(SubmissionGrain) ? "controller" : null;
            if (component is not null) new ComponentPlacementFilter(component).PopulateGrainProperties(services, grainClass, grainType, properties);
        }
    }

    /// <summary>Keeps the silos whose metadata does not switch the component off; all of them when none runs it (better than no placement).</summary>
    private sealed class Director(ISiloMetadataCache metadata) : IPlacementFilterDirector
    {
        public IEnumerable<SiloAddress> Filter(PlacementFilterStrategy filterStrategy, PlacementTarget target, IEnumerable<SiloAddress> silos)
        {
            if (filterStrategy is not ComponentPlacementFilter { Component.Length: > 0 } filter) return silos;
            var key = Components.MetadataKey(filter.Component);
            var all = silos.ToList();
            var running = all.Where(s => metadata.GetSiloMetadata(s).Metadata.GetValueOrDefault(key) != "false").ToList();
            return running.Count > 0 ? running : all;
        }
    }
}
