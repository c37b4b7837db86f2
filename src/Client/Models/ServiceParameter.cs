using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>A parameter of a <see cref="Service"/>: an input, an output or a plain argument.</summary>
public sealed record ServiceParameter
{
    /// <summary>The unique parameter identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>The kind of parameter: <c>input</c>, <c>output</c> or <c>argument</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    /// <summary>How often the parameter must and may be given, written <c>min..max</c> such as <c>1..1</c> or <c>0..n</c>.</summary>
    [JsonPropertyName("cardinality")]
    public string Cardinality { get; init; } = "";

    /// <summary>The type of the value, such as <c>file</c>, <c>directory</c>, <c>string</c>, <c>integer</c> or <c>boolean</c>.</summary>
    [JsonPropertyName("dataType")]
    public string DataType { get; init; } = "";

    /// <summary>A default used when the parameter is not given; null for none.</summary>
    [JsonPropertyName("default")]
    public JsonNode? Default { get; init; }

    /// <summary>A suffix appended to generated output file names; null for none.</summary>
    [JsonPropertyName("fileSuffix")]
    public string? FileSuffix { get; init; }

    /// <summary>A label passed before the value, such as <c>--input</c>; null for none.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }
}
