using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Steep.Grains;
using Steep.Grains.Placement;
using Steep.Tests.Shared;

namespace Steep.Grains.Tests.Support;

/// <summary>An embedded silo wired as <c>steep</c> wires it (serializers, placement), for grain tests.</summary>
public static class TestSilo
{
    /// <summary>
    /// Starts a silo of its own cluster with <paramref name="services"/>; <paramref name="configure"/> adds what a test
    /// needs besides (e.g. a <see cref="SubmissionIntake"/>). Stop and dispose the host at the end.
    /// </summary>
    public static async Task<IHost> StartAsync(SteepServices services, string name, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Services.AddSingleton(services);
        configure?.Invoke(builder.Services);
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(FreePorts.Next(), 0, null, "steep-tests", $"{name}-{Guid.NewGuid():N}");
            silo.Services.AddSerializer(b => b.AddSteepModels());
            silo.AddSteepPlacement();
        });
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }
}
