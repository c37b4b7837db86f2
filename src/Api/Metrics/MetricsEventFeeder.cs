using Microsoft.Extensions.Hosting;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Api.Metrics;

/// <summary>Feeds the process chain duration histogram from the instance's events; subscribes once, at startup.</summary>
internal sealed class MetricsEventFeeder(ISteepInstance steep, SteepMetrics metrics) : IHostedService
{
    private Subscription? _subscription;
    private Task? _loop;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // subscribed before the server takes requests, so no chain that finishes afterwards is missed
        _subscription = steep.SubscribeLocalEvents(); // each silo its own chains: summed over silos, each counts once
        var reader = _subscription.Events;
        _loop = Task.Run(async () =>
        {
            // ends when the subscription is disposed (the channel completes)
            await foreach (var e in reader.ReadAllAsync())
            {
                if (e is ProcessChainEvent { Duration: { } d } c) metrics.RecordProcessChainDuration(c.ServiceId, d);
            }
        }, CancellationToken.None);
        return Task.CompletedTask;
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _subscription?.Dispose();
        if (_loop is not null) await _loop.WaitAsync(cancellationToken);
    }
}
