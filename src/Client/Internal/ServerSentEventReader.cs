using System.Text;

namespace Steep.Client.Internal;

/// <summary>
/// Reads server-sent events from text as the HTML standard describes: <c>field: value</c> lines, an empty line
/// dispatches, lines starting with ':' are comments, <c>data</c> lines accumulate, unknown fields are ignored.
/// </summary>
internal sealed class ServerSentEventReader(TextReader reader)
{
    private readonly StringBuilder _data = new();
    private string? _type;
    private string? _lastId;

    /// <summary>The next event, or null at the end of the stream (an unfinished event at the end is dropped, as browsers do).</summary>
    public async Task<ServerSentEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            if (line is null) return null;
            if (line.Length == 0)
            {
                if (Dispatch() is { } e) return e;
                continue;
            }
            if (line[0] == ':') continue; // a comment, such as a keep-alive
            int colon = line.IndexOf(':');
            string field = colon < 0 ? line : line[..colon];
            string value = colon < 0 ? "" : line[(colon + 1)..];
            if (value.Length > 0 && value[0] == ' ') value = value[1..];
            switch (field)
            {
                case "event":
                    _type = value;
                    break;
                case "data":
                    _data.Append(value).Append('\n');
                    break;
                case "id":
                    if (!value.Contains('\0')) _lastId = value;
                    break;
                // "retry" and unknown fields are ignored: this reader does not reconnect
            }
        }
    }

    private ServerSentEvent? Dispatch()
    {
        var type = string.IsNullOrEmpty(_type) ? "message" : _type;
        _type = null;
        if (_data.Length == 0) return null;
        _data.Length--; // the last '\n'
        var data = _data.ToString();
        _data.Clear();
        return new ServerSentEvent(type, data, _lastId);
    }
}
