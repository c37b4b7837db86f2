using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Steep.Core.Serialization;

/// <summary>Writes a model as YAML with Steep's field names (the same tree as its JSON), for humans to read.</summary>
public static class YamlWriter
{
    /// <summary>The YAML text of <paramref name="value"/> as serialized with <see cref="SteepJson.Options"/>.</summary>
    public static string Write<T>(T value)
    {
        var node = JsonSerializer.SerializeToNode(value, SteepJson.Options);
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var w = new StringWriter();
        stream.Save(w, assignAnchors: false);
        // YamlStream ends a document with "..." ; a single document needs no end marker
        var text = w.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text.TrimEnd('.', '\n', '\r') + "\n";
    }

    private static YamlNode ToYaml(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var map = new YamlMappingNode();
                foreach (var (k, v) in o) map.Add(new YamlScalarNode(k), ToYaml(v));
                return map;
            case JsonArray a:
                var seq = new YamlSequenceNode();
                foreach (var v in a) seq.Add(ToYaml(v));
                return seq;
            case null:
                return new YamlScalarNode("null") { Style = ScalarStyle.Plain };
            default:
                var value = node.AsValue();
                if (value.GetValueKind() == JsonValueKind.String)
                {
                    var s = value.GetValue<string>();
                    // a string that YAML would read as something else (a number, true, null, empty) keeps its quotes
                    var quote = s.Length == 0 || YamlToJson.PlainScalarIsNotString(s) || s.Trim() != s;
                    return new YamlScalarNode(s) { Style = quote ? ScalarStyle.DoubleQuoted : ScalarStyle.Any };
                }
                return new YamlScalarNode(node.ToJsonString()) { Style = ScalarStyle.Plain };
        }
    }
}
