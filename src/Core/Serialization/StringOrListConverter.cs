using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steep.Core.Serialization;

/// <summary>Reads a list of strings also from a single string (Steep 6.9's <c>dependsOn: cp1</c>); always writes a list.</summary>
public sealed class StringOrListConverter : JsonConverter<IReadOnlyList<string>>
{
    private static readonly LenientStringConverter Item = new();

    /// <inheritdoc />
    public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return [];
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (Item.Read(ref reader, typeof(string), options) is { } s) list.Add(s);
                }
                return list;
            default:
                return Item.Read(ref reader, typeof(string), options) is { } one ? [one] : [];
        }
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IReadOnlyList<string> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var s in value) writer.WriteStringValue(s);
        writer.WriteEndArray();
    }
}
