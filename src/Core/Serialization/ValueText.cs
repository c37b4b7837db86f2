using System.Text.Json.Nodes;

namespace Steep.Core.Serialization;

/// <summary>The text a JSON value stands for on a command line: strings as they are, numbers as written, booleans lower-case.</summary>
public static class ValueText
{
    /// <summary>Returns the plain text of <paramref name="node"/> (objects and arrays as compact JSON).</summary>
    public static string Of(JsonNode node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonValue v when v.TryGetValue<bool>(out var b) => b ? "true" : "false",
        _ => node.ToJsonString(),
    };
}
