using System.Threading.Channels;
using Steep.Contracts;
using Steep.Grains;

namespace Steep.Silo.Hosting;

/// <summary>
/// The grains' event sink in cluster mode: publishes each event to this silo's subscribers at once and, in batches, to
/// every other active silo (<see cref="ISiloGrain.DeliverAsync"/>), so that <c>/events</c> on any silo shows the whole
/// cluster. Events from other silos go straight into their receiver's <see cref="EventHub"/>, never back here: no loops.
/// </summary>
public sealed class ClusterEventRelay(EventHub local) : IEventSink, IAsyncDisposable
{
    // a silo that cannot keep up drops the oldest events rather than holding grains up (as a slow local subscriber does)
    private readonly Channel<object> _outgoing = Channel.CreateBounded<object>(new BoundedChannelOptions(100_000)
    {
        FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
    });
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    /// <summary>How long events gather before a batch goes out: one message per silo per batch, not per event.</summary>
    public static readonly TimeSpan BatchInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>The most events one message carries.</summary>
    public const int MaxBatch = 5_000;

    /// <inheritdoc />
    public void SubmissionChanged(SubmissionEvent e)
    {
        local.SubmissionChanged(e);
        _outgoing.Writer.TryWrite(e);
    }

    /// <inheritdoc />
    public void ProcessChainChanged(ProcessChainEvent e)
    {
        local.ProcessChainChanged(e);
        _outgoing.Writer.TryWrite(e);
    }

    /// <inheritdoc />
    public void AgentChanged(AgentEvent e)
    {
        local.AgentChanged(e);
        _outgoing.Writer.TryWrite(e);
    }

    /// <summary>Starts sending to the other silos (events of the time before are sent with the first batch).</summary>
    public void Start(ClusterPeers peers)
    {
        _loop ??= Task.Run(() => RunAsync(peers, _stop.Token));
    }

    private async Task RunAsync(ClusterPeers peers, CancellationToken ct)
    {
        var reader = _outgoing.Reader;
        var batch = new List<object>();
        try
        {
            while (await reader.WaitToReadAsync(ct))
            {
                await Task.Delay(BatchInterval, ct);
                while (batch.Count < MaxBatch && reader.TryRead(out var e)) batch.Add(e);
                var events = batch.ToArray();
                batch.Clear();
                foreach (var silo in peers.OtherActiveSilos())
                {
                    try
                    {
                        // one-way: a slow or dying silo does not hold up the others
                        peers.Silo(silo).DeliverAsync(events).Ignore();
                    }
                    catch (Exception) when (!ct.IsCancellationRequested)
                    {
                        // events are best effort: a silo that cannot be addressed now misses this batch, and the relay
                        // goes on for the others and for the next batch
                    }
                }
            }
        }
        catch (Exception) when (ct.IsCancellationRequested)
        {
            // the silo stops (its grain factory may already be gone)
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        _stop.Dispose();
    }
}
