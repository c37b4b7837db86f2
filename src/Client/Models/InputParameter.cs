using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An input or generic parameter of an <see cref="ExecuteAction"/>: a service parameter bound to a variable or a value.</summary>
public sealed record InputParameter
{
    /// <summary>The id of the service parameter.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The id of the variable holding the value; null when <see cref="Value"/> is given.</summary>
    [JsonPropertyName("var")]
    public string? Var { get; init; }

    /// <summary>A literal value instead of a variable; null when <see cref="Var"/> is given.</summary>
    [JsonPropertyName("value")]
    public JsonNode? Value { get; init; }
}
