using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core.Events;

namespace Steep.Core.Serialization;

public static partial class YamlToJson
{
    /// <summary>
    /// Writes the first document of a YAML event stream as JSON text while the events are walked, as long as the
    /// document is plain: no anchors or aliases (their expansion is budgeted by the tree conversion), no key that is not
    /// a string and no key twice (the conversion reports those with their position). Anything else gives up, and the
    /// caller converts the document the thorough way, with the same result and the same errors as before.
    /// </summary>
    private sealed class PlainDocumentWriter
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();
        private readonly Utf8JsonWriter _json;
        // one entry per open mapping or sequence: the keys seen so far (null for a sequence) and whether a key comes next
        private readonly Stack<(HashSet<string>? Keys, bool KeyNext)> _open = new();
        private int _documents;
        private bool _given;
        private bool _done;

        public PlainDocumentWriter(int maxDepth)
        {
            _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { MaxDepth = Math.Max(maxDepth + 1, 64), SkipValidation = true });
        }

        /// <summary>Takes the next event of the stream.</summary>
        public void Add(ParsingEvent e)
        {
            if (_given) return;
            // an alias in a later document is resolved (and may fail) when the stream is loaded: the thorough way then
            if (_done && e is not (AnchorAlias or NodeEvent { Anchor.IsEmpty: false })) return;
            try
            {
                Write(e);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // text JSON cannot carry (a lone surrogate): the thorough way reports it as it always did
                GiveUp();
            }
        }

        /// <summary>The first document as a tree; false when it was not plain (or the stream had none: null then).</summary>
        public bool TryGetTree(int maxDepth, out JsonNode? tree)
        {
            tree = null;
            if (_given) return false;
            if (_documents == 0) return true;
            if (!_done) return false;
            _json.Flush();
            tree = JsonNode.Parse(_buffer.WrittenSpan, documentOptions: new JsonDocumentOptions { MaxDepth = maxDepth });
            return true;
        }

        private void GiveUp()
        {
            _given = true;
            _open.Clear();
        }

        private void Write(ParsingEvent e)
        {
            switch (e)
            {
                case DocumentStart:
                    _documents++;
                    return;
                case DocumentEnd:
                    if (_documents == 1) _done = true;
                    return;
                case AnchorAlias:
                    GiveUp();
                    return;
                case NodeEvent { Anchor.IsEmpty: false }:
                    GiveUp();
                    return;
                case Scalar scalar when KeyNext():
                    var name = scalar.Value ?? "";
                    if (!_open.Peek().Keys!.Add(name))
                    {
                        GiveUp();
                        return;
                    }
                    _json.WritePropertyName(name);
                    SetKeyNext(false);
                    return;
                case MappingStart or SequenceStart when KeyNext():
                    GiveUp(); // a mapping or a list as a key
                    return;
                case Scalar scalar:
                    WriteScalar(scalar);
                    ValueWritten();
                    return;
                case MappingStart:
                    _json.WriteStartObject();
                    _open.Push((new HashSet<string>(StringComparer.Ordinal), true));
                    return;
                case SequenceStart:
                    _json.WriteStartArray();
                    _open.Push((null, false));
                    return;
                case MappingEnd:
                    _json.WriteEndObject();
                    _open.Pop();
                    ValueWritten();
                    return;
                case SequenceEnd:
                    _json.WriteEndArray();
                    _open.Pop();
                    ValueWritten();
                    return;
            }
        }

        private void WriteScalar(Scalar scalar)
        {
            var text = scalar.Value ?? "";
            if (IsString(scalar.Style, scalar.Tag))
                _json.WriteStringValue(text);
            else if (IsShortestInteger(text))
                _json.WriteRawValue(text, skipInputValidation: true);
            else if (ConvertScalar(scalar.Value, scalar.Style, scalar.Tag) is { } node)
                node.WriteTo(_json);
            else
                _json.WriteNullValue();
        }

        private bool KeyNext() => _open.Count > 0 && _open.Peek().KeyNext;

        private void SetKeyNext(bool keyNext)
        {
            var top = _open.Pop();
            _open.Push((top.Keys, keyNext));
        }

        // after a mapping's value its next key follows
        private void ValueWritten()
        {
            if (_open.Count > 0 && _open.Peek().Keys is not null) SetKeyNext(true);
        }
    }
}
