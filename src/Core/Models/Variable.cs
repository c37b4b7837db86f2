using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>A workflow variable: defined (it has a value) or undefined (an output to be generated).</summary>
public sealed record Variable
{
    /// <summary>The unique identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>Any value: a scalar, a list or a list of lists; null for an output variable.</summary>
    [JsonPropertyName("value")]
    public JsonNode? Value { get; init; }
}
