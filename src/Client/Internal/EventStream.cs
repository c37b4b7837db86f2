using System.Text;
using Steep.Client.Events;

namespace Steep.Client.Internal;

/// <summary>An open <c>GET /events</c> response. Once it exists the server has subscribed this client: no later event is missed.</summary>
internal sealed class EventStream(HttpResponseMessage response, Stream stream) : IDisposable
{
    private readonly ServerSentEventReader _reader = new(new StreamReader(stream, new UTF8Encoding(false), detectEncodingFromByteOrderMarks: true));

    /// <summary>The next event, or null when the server ended the stream.</summary>
    public async Task<SteepEvent?> ReadAsync(CancellationToken cancellationToken) =>
        await _reader.ReadAsync(cancellationToken).ConfigureAwait(false) is { } e ? EventDecoder.Decode(e) : null;

    public void Dispose()
    {
        stream.Dispose();
        response.Dispose();
    }
}
