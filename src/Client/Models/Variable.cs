using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>A workflow variable: an input when it has a value, an output to be generated when it has none.</summary>
public sealed record Variable
{
    /// <summary>The unique identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>Any JSON value (a string, number, boolean, list, …); null for an output variable.</summary>
    [JsonPropertyName("value")]
    public JsonNode? Value { get; init; }
}
