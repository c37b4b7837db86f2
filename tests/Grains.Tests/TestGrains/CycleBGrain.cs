using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>The other end of an awaited call cycle (with <see cref="CycleAGrain"/>).</summary>
internal sealed class CycleBGrain : Grain
{
    public Task<string> CallA() => GetGrain<CycleAGrain>(Id.Key).CallAsync(a => a.Hello());

    public async Task<string> CallC() =>
        "B+" + await GetGrain<CycleCGrain>(Id.Key).CallAsync(c => Task.FromResult("C"));
}
