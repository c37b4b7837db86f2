using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Steep.Core.Serialization;

/// <summary>Converts a YAML document into a JSON tree (YAML 1.2 core schema for plain scalars).</summary>
public static partial class YamlToJson
{
    /// <summary>Parses the first document of <paramref name="yaml"/>; syntax errors carry line and column.</summary>
    public static JsonNode? Parse(string yaml, string source)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (YamlException e)
        {
            var inner = e.InnerException?.Message;
            throw new ModelFormatException(
                $"{source}: line {e.Start.Line}, column {e.Start.Column}: YAML syntax error: {Simplify(e.Message)}" +
                (inner is null ? "" : $" ({Simplify(inner)})"));
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way on some malformed input (e.g. an unclosed flow sequence running into
            // the next key); where the scanner stopped is the best position there is
            var at = scanner.CurrentPosition;
            throw new ModelFormatException($"{source}: line {at.Line}, column {at.Column}: YAML syntax error: malformed YAML (an unclosed '[' or '{{'?)");
        }
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, source);
    }

    private static string Simplify(string message)
    {
        // YamlDotNet repeats the position "(Line: 3, Col: 5, Idx: 20) - (...)" in front of the message
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && i >= 0 ? message[(i + 3)..] : message;
    }

    private static JsonNode? Convert(YamlNode node, string source)
    {
        switch (node)
        {
            case YamlMappingNode map:
                var obj = new JsonObject();
                foreach (var (k, v) in map.Children)
                {
                    if (k is not YamlScalarNode key)
                        throw new ModelFormatException($"{source}: line {k.Start.Line}, column {k.Start.Column}: mapping keys must be plain strings");
                    var name = key.Value ?? "";
                    if (obj.ContainsKey(name))
                        throw new ModelFormatException($"{source}: line {k.Start.Line}, column {k.Start.Column}: duplicate key '{name}'");
                    obj[name] = Convert(v, source);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children) arr.Add(Convert(item, source));
                return arr;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || (scalar.Tag.IsEmpty == false && scalar.Tag.Value == "tag:yaml.org,2002:str"))
            return JsonValue.Create(text);
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                return null;
            case "true" or "True" or "TRUE":
                return JsonValue.Create(true);
            case "false" or "False" or "FALSE":
                return JsonValue.Create(false);
        }
        if (Number().IsMatch(text))
        {
            // keep the number's own text ("3.0" stays "3.0") so values reach command lines unchanged
            try { return JsonNode.Parse(text); }
            catch (JsonException) { }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                return JsonValue.Create(d);
        }
        return JsonValue.Create(text);
    }

    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex Number();
}
