using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>An argument of an executable.</summary>
public sealed record Argument
{
    /// <summary>The argument identifier (the service parameter id).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>An optional label passed before the value.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>The variable holding the value.</summary>
    [JsonPropertyName("variable")]
    public ArgumentVariable Variable { get; init; } = new("", "");

    /// <summary>"input", "output" or "argument".</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = ArgumentTypes.Input;

    /// <summary>The data type.</summary>
    [JsonPropertyName("dataType")]
    public string DataType { get; init; } = DataTypes.String;
}
