using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>The variable (id and string value) an argument holds.</summary>
public sealed record ArgumentVariable(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("value")] string Value);
