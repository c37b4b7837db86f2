using Orleans.Placement;
using Orleans.Runtime;

namespace Steep.Cluster.Tests.Support;

/// <summary>Activated on the silo of its first caller, so that a test decides where it lives.</summary>
[PreferLocalPlacement]
public sealed class WhereGrain(ILocalSiloDetails silo) : Grain, IWhereGrain
{
    /// <inheritdoc />
    public Task<string> WhereAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());
}
