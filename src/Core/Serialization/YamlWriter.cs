using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Steep.Core.Serialization;

/// <summary>Writes a model as YAML with Steep's field names (the same tree as its JSON), for humans to read.</summary>
public static class YamlWriter
{
    /// <summary>
    /// The YAML text of <paramref name="value"/> as serialized with <see cref="SteepJson.Options"/>, written the way people
    /// write Steep documents: <c>id</c> and <c>type</c> first, empty parameter and dependsOn lists and <c>store: false</c> left out (their defaults).
    /// </summary>
    public static string Write<T>(T value)
    {
        var node = Tidy(JsonSerializer.SerializeToNode(value, SteepJson.Options));
        var stream = new YamlStream(new YamlDocument(ToYaml(node)));
        using var w = new StringWriter();
        stream.Save(w, assignAnchors: false);
        // YamlStream ends a document with "..." ; a single document needs no end marker
        var text = w.ToString();
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text.TrimEnd('.', '\n', '\r') + "\n";
    }

    private static JsonNode? Tidy(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                var tidy = new JsonObject();
                foreach (var first in new[] { "id", "type" })
                    if (o[first] is { } f) tidy[first] = Tidy(f.DeepClone());
                foreach (var (k, v) in o)
                {
                    if (k is "id" or "type" && v is not null) continue;
                    // only fields whose absence means the same (a value of false or [] stays: it is data)
                    if (k is "dependsOn" or "parameters" or "inputs" or "outputs" && v is JsonArray { Count: 0 }) continue;
                    if (k == "store" && v is JsonValue b && b.GetValueKind() == JsonValueKind.False) continue;
                    tidy[k] = Tidy(v?.DeepClone());
                }
                return tidy;
            case JsonArray a:
                var list = new JsonArray();
                foreach (var v in a) list.Add(Tidy(v?.DeepClone()));
                return list;
            default:
                return node;
        }
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
