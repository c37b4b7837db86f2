using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>The variable that holds the value of an <see cref="Argument"/>.</summary>
public sealed record ArgumentVariable
{
    /// <summary>The variable's unique identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The variable's value.</summary>
    [JsonPropertyName("value")]
    public string Value { get; init; } = "";
}
