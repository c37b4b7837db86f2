using System.Text.Json;
using System.Text.Json.Serialization;

namespace Steep.Core.Serialization;

/// <summary>
/// Reads the models' lists (<c>IReadOnlyList&lt;T&gt;</c> of a model type or of strings) and refuses a null element:
/// System.Text.Json checks the nullability of properties (see <see cref="SteepJson"/>) but not of list elements, and a
/// null action, input or variable would otherwise reach code that counts on every element being there.
/// </summary>
internal sealed class NonNullListConverterFactory : JsonConverterFactory
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert)
    {
        if (!typeToConvert.IsGenericType || typeToConvert.GetGenericTypeDefinition() != typeof(IReadOnlyList<>)) return false;
        var element = typeToConvert.GetGenericArguments()[0];
        return element == typeof(string) || (element.IsClass && element.Namespace == "Steep.Core.Models");
    }

    /// <inheritdoc />
    public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
        (JsonConverter)Activator.CreateInstance(typeof(ListConverter<>).MakeGenericType(typeToConvert.GetGenericArguments()[0]))!;

    private sealed class ListConverter<T> : JsonConverter<IReadOnlyList<T>> where T : class
    {
        public override IReadOnlyList<T> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray) throw new JsonException("expected a list");
            var items = new List<T>();
            var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (reader.TokenType == JsonTokenType.Null)
                    throw new JsonException($"entry {items.Count} of the list is empty (null); remove it or give it a value");
                items.Add(JsonSerializer.Deserialize(ref reader, info)
                    ?? throw new JsonException($"entry {items.Count} of the list is empty (null); remove it or give it a value"));
            }
            return items;
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<T> value, JsonSerializerOptions options)
        {
            var info = (System.Text.Json.Serialization.Metadata.JsonTypeInfo<T>)options.GetTypeInfo(typeof(T));
            writer.WriteStartArray();
            foreach (var item in value) JsonSerializer.Serialize(writer, item, info);
            writer.WriteEndArray();
        }
    }
}
