using System.Threading.Channels;

using Steep.Contracts;

namespace Steep.Grains;

/// <summary>A stream of events (<see cref="SubmissionEvent"/>, <see cref="ProcessChainEvent"/>, <see cref="AgentEvent"/>).</summary>
public sealed class Subscription(ChannelReader<object> reader, Action unsubscribe) : IDisposable
{
    /// <summary>The events, in the order they happened.</summary>
    public ChannelReader<object> Events { get; } = reader;

    /// <inheritdoc />
    public void Dispose() => unsubscribe();
}
