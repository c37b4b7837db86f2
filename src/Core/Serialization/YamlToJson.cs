using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace Steep.Core.Serialization;

/// <summary>Converts a YAML document into a JSON tree (YAML 1.2 core schema for plain scalars).</summary>
public static partial class YamlToJson
{
    /// <summary>Parses the first document of <paramref name="yaml"/>; syntax errors carry line and column.</summary>
    public static JsonNode? Parse(string yaml, string source, ReadLimits? limits = null)
    {
        limits ??= ReadLimits.Default;
        int maxDepth = limits.MaxDepth;
        // walk the events first: loading builds the tree recursively, so a deeply nested document would overflow the
        // stack (and crash the process) before anything could be reported. The same walk writes the first document as
        // JSON when it is plain (no anchors, aliases, duplicate or non-string keys): that text becomes one compact tree
        // at once, where loading YamlDotNet's tree and converting it node by node allocated about 1 KB per value (a
        // million-item list: 1 GB, and the collections that cost stalled the whole server)
        int events = 0;
        long chars = 0;
        var plain = new PlainDocumentWriter(maxDepth);
        Read(yaml, source, scanner =>
        {
            var parser = new Parser(scanner);
            int depth = 0;
            while (parser.MoveNext())
            {
                events++;
                if (parser.Current is Scalar sc) chars += sc.Value.Length;
                if (parser.Current is MappingStart or SequenceStart && ++depth > maxDepth)
                    throw new ModelFormatException(
                        $"{source}: line {parser.Current.Start.Line}, column {parser.Current.Start.Column}: the document is nested more than {maxDepth} levels deep; flatten it (the limit is steep.http.maxDepth)");
                if (parser.Current is MappingEnd or SequenceEnd) depth--;
                plain.Add(parser.Current!);
            }
        });
        if (plain.TryGetTree(Math.Max(maxDepth + 1, 64), out var tree)) return tree;
        var stream = new YamlStream();
        Read(yaml, source, scanner => stream.Load(new Parser(scanner)));
        // aliases share nodes, and expanding them can multiply a small text into billions of values
        // (values and characters: one long string repeated by reference costs as much as many small values)
        var budget = new Budget(events + (long)limits.MaxAliasNodes, chars + limits.MaxAliasChars, limits);
        return stream.Documents.Count == 0 ? null : Convert(stream.Documents[0].RootNode, source, 0, budget);
    }

    private static void Read(string yaml, string source, Action<Scanner> read)
    {
        var scanner = new Scanner(new StringReader(yaml));
        try
        {
            read(scanner);
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
    }

    private static string Simplify(string message)
    {
        // YamlDotNet repeats the position "(Line: 3, Col: 5, Idx: 20) - (...)" in front of the message
        var i = message.IndexOf("): ", StringComparison.Ordinal);
        return message.StartsWith("(Line", StringComparison.Ordinal) && i >= 0 ? message[(i + 3)..] : message;
    }

    private static JsonNode? Convert(YamlNode node, string source, int depth, Budget budget)
    {
        if (++budget.Used > budget.Limit)
            throw new ModelFormatException($"{source}: line {node.Start.Line}, column {node.Start.Column}: the document's aliases expand to too many values (more than {budget.Limits.MaxAliasNodes} beyond its own); write the values out or use fewer aliases (the limit is steep.http.maxAliasNodes)");
        if (node is YamlScalarNode { Value: { } text } && (budget.Chars += text.Length) > budget.CharLimit)
            throw new ModelFormatException($"{source}: line {node.Start.Line}, column {node.Start.Column}: the document's aliases expand to too much text (more than {budget.Limits.MaxAliasChars} characters beyond its own); write the values out or use fewer aliases (the limit is steep.http.maxAliasChars)");
        if (depth > budget.Limits.MaxDepth)
            throw new ModelFormatException($"{source}: line {node.Start.Line}, column {node.Start.Column}: the document is nested more than {budget.Limits.MaxDepth} levels deep (a recursive alias?); flatten it (the limit is steep.http.maxDepth)");
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
                    obj[name] = Convert(v, source, depth + 1, budget);
                }
                return obj;
            case YamlSequenceNode seq:
                var arr = new JsonArray();
                foreach (var item in seq.Children) arr.Add(Convert(item, source, depth + 1, budget));
                return arr;
            case YamlScalarNode scalar:
                return ConvertScalar(scalar);
            default:
                return null;
        }
    }

    private static JsonNode? ConvertScalar(YamlScalarNode scalar) => ConvertScalar(scalar.Value, scalar.Style, scalar.Tag);

    private static JsonNode? ConvertScalar(string? value, ScalarStyle style, TagName tag)
    {
        var text = value ?? "";
        if (IsString(style, tag)) return JsonValue.Create(text);
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
            // a whole number written in its shortest form becomes a plain number value (it writes back as the same text):
            // parsing it as a JSON document of its own cost about 130 bytes more per value
            if (IsShortestInteger(text)) return JsonValue.Create(long.Parse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture));
            // keep the number's own text ("3.0" stays "3.0") so values reach command lines unchanged
            try { return JsonNode.Parse(text); }
            catch (JsonException) { }
            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
                return JsonValue.Create(d);
        }
        return JsonValue.Create(text);
    }

    private static bool IsString(ScalarStyle style, TagName tag) =>
        style != ScalarStyle.Plain || (tag.IsEmpty == false && tag.Value == "tag:yaml.org,2002:str");

    /// <summary>True for "0", "42", "-7": digits (a minus at most), no leading zero, no "-0", short enough for a long.</summary>
    private static bool IsShortestInteger(string text)
    {
        int start = text.StartsWith('-') ? 1 : 0;
        int digits = text.Length - start;
        if (digits is < 1 or > 18) return false;
        if (text[start] == '0' && (digits > 1 || start == 1)) return false;
        for (int i = start; i < text.Length; i++)
            if (!char.IsAsciiDigit(text[i])) return false;
        return true;
    }

    /// <summary>
    /// True when <paramref name="text"/>, written as a plain scalar, would be read as something other than this string
    /// (by this reader or by YAML 1.1 readers such as PyYAML: yes/no/on/off, numbers): it must be quoted.
    /// </summary>
    internal static bool PlainScalarIsNotString(string text) =>
        text is "" or "~" or "null" or "Null" or "NULL" or "true" or "True" or "TRUE" or "false" or "False" or "FALSE"
            or "yes" or "Yes" or "YES" or "no" or "No" or "NO" or "on" or "On" or "ON" or "off" or "Off" or "OFF" or "y" or "Y" or "n" or "N"
        || Number().IsMatch(text) || (text.Length > 0 && (char.IsDigit(text[0]) || text[0] is '.' or '+'));

    private sealed class Budget(long limit, long charLimit, ReadLimits limits)
    {
        public long Limit { get; } = limit;
        public long CharLimit { get; } = charLimit;
        public ReadLimits Limits { get; } = limits;
        public long Used { get; set; }
        public long Chars { get; set; }
    }

    [GeneratedRegex(@"^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$")]
    private static partial Regex Number();
}
