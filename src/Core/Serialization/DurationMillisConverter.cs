using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steep.Core.Serialization;

/// <summary>Reads a duration (number of milliseconds or a string like "10s") and writes milliseconds.</summary>
public sealed class DurationMillisConverter : JsonConverter<long>
{
    /// <inheritdoc />
    public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number) return (long)reader.GetDouble();
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() ?? "" : "";
        if (!Durations.TryParseMillis(text, out long ms))
            throw new JsonException($"invalid duration '{text}': use milliseconds or a string such as '10s', '5m' or 'PT1M'");
        return ms;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
}
