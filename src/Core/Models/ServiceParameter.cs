using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>A parameter of a service (input, output or argument).</summary>
public sealed record ServiceParameter
{
    /// <summary>A unique parameter identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>"input", "output" or "argument".</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = ArgumentTypes.Input;

    /// <summary>How often the parameter must and may appear.</summary>
    [JsonPropertyName("cardinality")]
    public Cardinality Cardinality { get; init; } = new(1, 1);

    /// <summary>The data type ("string", "file", "directory", "boolean", "fileOrEmptyList", …).</summary>
    [JsonPropertyName("data_type")]
    public string DataType { get; init; } = DataTypes.String;

    /// <summary>A default used when a mandatory parameter is missing.</summary>
    [JsonPropertyName("default")]
    public JsonNode? Default { get; init; }

    /// <summary>A suffix appended to generated output names.</summary>
    [JsonPropertyName("file_suffix")]
    public string? FileSuffix { get; init; }

    /// <summary>A label put before the value on the command line.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }
}
