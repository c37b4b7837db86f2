using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steep.Core.Serialization;

/// <summary>Like <see cref="DurationMillisConverter"/>, for optional durations.</summary>
public sealed class NullableDurationMillisConverter : JsonConverter<long?>
{
    private static readonly DurationMillisConverter Inner = new();

    /// <inheritdoc />
    public override bool HandleNull => true;

    /// <inheritdoc />
    public override long? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : Inner.Read(ref reader, typeof(long), options);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, long? value, JsonSerializerOptions options)
    {
        if (value is { } v) writer.WriteNumberValue(v); else writer.WriteNullValue();
    }
}
