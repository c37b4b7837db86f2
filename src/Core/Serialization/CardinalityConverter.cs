using System.Text.Json;
using System.Text.Json.Serialization;
using Steep.Core.Models;

namespace Steep.Core.Serialization;

/// <summary>Reads and writes a <see cref="Cardinality"/> as "min..max".</summary>
public sealed class CardinalityConverter : JsonConverter<Cardinality>
{
    /// <inheritdoc />
    public override Cardinality Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        if (!Cardinality.TryParse(text, out var c))
            throw new JsonException($"invalid cardinality '{text}': expected 'min..max' such as '1..1', '0..1' or '1..n'");
        return c;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Cardinality value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
