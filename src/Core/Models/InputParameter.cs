using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>An input or generic parameter of an execute action: a service parameter id bound to a variable.</summary>
public sealed record InputParameter
{
    /// <summary>The service parameter's id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The id of the variable holding the value.</summary>
    [JsonPropertyName("var")]
    public string? Var { get; init; }

    /// <summary>A literal value instead of a variable (an anonymous variable).</summary>
    [JsonPropertyName("value")]
    public JsonNode? Value { get; init; }
}
