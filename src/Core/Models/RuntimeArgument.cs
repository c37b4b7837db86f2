using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>An argument for the runtime (e.g. docker run) rather than for the service.</summary>
public sealed record RuntimeArgument
{
    /// <summary>A unique argument identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>The data type, typically "string" or "boolean".</summary>
    [JsonPropertyName("data_type")]
    public string DataType { get; init; } = DataTypes.String;

    /// <summary>A label such as "-v".</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>The value.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }
}
