using System.Threading.Channels;

using Steep.Contracts;

namespace Steep.Grains;

/// <summary>Fans events out to any number of subscribers; a slow subscriber loses old events rather than blocking grains.</summary>
public sealed class EventHub : IEventSink
{
    private readonly Lock _lock = new();
    private ImmutableSubscribers _subscribers = new([]);

    /// <summary>
    /// Subscribes; dispose the returned subscription to stop. Holds at most <paramref name="capacity"/> unread events.
    /// <paramref name="localOnly"/> leaves out the events of other silos of a cluster (<see cref="PublishFromOtherSilo"/>),
    /// for counts every silo keeps of its own (metrics).
    /// </summary>
    public Subscription Subscribe(int capacity = 10_000, bool localOnly = false)
    {
        var channel = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        var subscriber = new Subscriber(channel, localOnly);
        lock (_lock) _subscribers = new([.. _subscribers.Items, subscriber]);
        return new Subscription(channel.Reader, () =>
        {
            lock (_lock) _subscribers = new([.. _subscribers.Items.Where(s => s != subscriber)]);
            channel.Writer.TryComplete();
        });
    }

    /// <inheritdoc />
    public void SubmissionChanged(SubmissionEvent e) => Publish(e, remote: false);

    /// <inheritdoc />
    public void ProcessChainChanged(ProcessChainEvent e) => Publish(e, remote: false);

    /// <inheritdoc />
    public void AgentChanged(AgentEvent e) => Publish(e, remote: false);

    /// <summary>An event of another silo of the cluster, for the subscribers that want the whole cluster's.</summary>
    public void PublishFromOtherSilo(object e) => Publish(e, remote: true);

    private void Publish(object e, bool remote)
    {
        foreach (var s in _subscribers.Items)
        {
            if (!remote || !s.LocalOnly) s.Channel.Writer.TryWrite(e);
        }
    }

    private sealed record Subscriber(Channel<object> Channel, bool LocalOnly);

    private sealed record ImmutableSubscribers(Subscriber[] Items);
}
