using System.Text.Json;
using System.Threading.Channels;
using Steep.Contracts;

namespace Steep.OrleansClientSample;

/// <summary>Receives a submission's changes from the silo (an Orleans observer) and hands them to the main loop.</summary>
internal sealed class StatusPrinter : ISubmissionObserver
{
    private readonly Channel<SubmissionEvent> _changes = Channel.CreateUnbounded<SubmissionEvent>();

    /// <summary>The changes, in the order they arrived.</summary>
    public ChannelReader<SubmissionEvent> Changes => _changes.Reader;

    public void OnSubmissionChanged(SubmissionEvent change)
    {
        Console.WriteLine(JsonSerializer.Serialize(new { @event = "changed", change }));
        _changes.Writer.TryWrite(change);
    }
}
