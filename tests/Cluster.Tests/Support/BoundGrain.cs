using Orleans.Runtime;
using Steep.Grains.Placement;

namespace Steep.Cluster.Tests.Support;

/// <summary>Placed like an agent: on the silo its key names.</summary>
[SiloBoundPlacement]
public sealed class BoundGrain(ILocalSiloDetails silo) : Grain, IBoundGrain
{
    /// <inheritdoc />
    public Task<string> WhereAsync() => Task.FromResult(silo.Name);

    /// <inheritdoc />
    public Task LeaveAsync()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }
}
