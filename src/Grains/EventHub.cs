using System.Threading.Channels;

using Steep.Contracts;

namespace Steep.Grains;

/// <summary>Fans events out to any number of subscribers; a slow subscriber loses old events rather than blocking grains.</summary>
public sealed class EventHub : IEventSink
{
    private readonly Lock _lock = new();
    private ImmutableSubscribers _subscribers = new([]);

    /// <summary>Subscribes; dispose the returned subscription to stop. Holds at most <paramref name="capacity"/> unread events.</summary>
    public Subscription Subscribe(int capacity = 10_000)
    {
        var channel = Channel.CreateBounded<object>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
        });
        lock (_lock) _subscribers = new([.. _subscribers.Items, channel]);
        return new Subscription(channel.Reader, () =>
        {
            lock (_lock) _subscribers = new([.. _subscribers.Items.Where(c => c != channel)]);
            channel.Writer.TryComplete();
        });
    }

    /// <inheritdoc />
    public void SubmissionChanged(SubmissionEvent e) => Publish(e);

    /// <inheritdoc />
    public void ProcessChainChanged(ProcessChainEvent e) => Publish(e);

    /// <inheritdoc />
    public void AgentChanged(AgentEvent e) => Publish(e);

    private void Publish(object e)
    {
        foreach (var c in _subscribers.Items) c.Writer.TryWrite(e);
    }

    private sealed record ImmutableSubscribers(Channel<object>[] Items);
}
