using System.Text.Json;
using System.Text.Json.Serialization;
using Steep.Core.Models;

namespace Steep.Core.Serialization;

/// <summary>Reads and writes actions by their <c>type</c> ("execute", "for" or "include"), wherever it appears in the object.</summary>
public sealed class WorkflowActionConverter : JsonConverter<WorkflowAction>
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeToConvert == typeof(WorkflowAction);

    /// <inheritdoc />
    public override WorkflowAction? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var doc = JsonDocument.ParseValue(ref reader);
        var root = doc.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
            throw new JsonException("an action must be an object with a 'type' (\"execute\", \"for\" or \"include\")");
        if (!root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String)
            throw new JsonException("an action has no 'type': it must be \"execute\", \"for\" or \"include\"");
        return typeElement.GetString() switch
        {
            "execute" => root.Deserialize<ExecuteAction>(options),
            "for" => root.Deserialize<ForEachAction>(options),
            "include" => root.Deserialize<IncludeAction>(options),
            var t => throw new JsonException($"unknown action type '{t}': it must be \"execute\", \"for\" or \"include\""),
        };
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, WorkflowAction value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, value.GetType(), options);
}
