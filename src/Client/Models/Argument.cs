using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An argument of an <see cref="Executable"/>.</summary>
public sealed record Argument
{
    /// <summary>The argument identifier (the service parameter's id).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A label passed before the value, such as <c>--input</c>; null if there is none.</summary>
    [JsonPropertyName("label")]
    public string? Label { get; init; }

    /// <summary>The variable holding the argument's value.</summary>
    [JsonPropertyName("variable")]
    public ArgumentVariable Variable { get; init; } = new();

    /// <summary>The kind of argument: <c>input</c>, <c>output</c> or <c>argument</c>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = "";

    /// <summary>The type of the value, such as <c>file</c>, <c>directory</c>, <c>string</c> or <c>boolean</c>.</summary>
    [JsonPropertyName("dataType")]
    public string DataType { get; init; } = "";
}
