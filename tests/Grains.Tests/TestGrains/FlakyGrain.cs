using Steep.Grains.Runtime;

namespace Steep.Grains.Tests.TestGrains;

/// <summary>A grain whose first activation fails.</summary>
internal sealed class FlakyGrain(Probe probe) : Grain
{
    protected override Task OnActivateAsync(CancellationToken cancellationToken) =>
        Interlocked.Increment(ref probe.Activations) == 1
            ? throw new InvalidOperationException("activation failed")
            : Task.CompletedTask;

    public Task<string> Hello() => Task.FromResult("hello");
}
