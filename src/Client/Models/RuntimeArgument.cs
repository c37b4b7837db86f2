using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An argument of a <see cref="Service"/> that is passed to the runtime (such as <c>docker run</c>), not to the service.</summary>
public sealed record RuntimeArgument
{
    /// <summary>The unique argument identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>The type of the value, typically <c>string</c> or <c>boolean</c>.</summary>
    [JsonPropertyName("dataType")]
    public string DataType { get; init; } = "";

    /// <summary>A label passed before the value, such as <c>-v</c>; null for none.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>The value; null for none.</summary>
    [JsonPropertyName("value")]
    public string? Value { get; init; }
}
