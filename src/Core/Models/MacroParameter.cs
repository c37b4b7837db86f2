using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>A parameter of a macro: an input (optionally with a default) or an output.</summary>
public sealed record MacroParameter
{
    /// <summary>The parameter's id; inside the macro it is used like a variable id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary><see cref="ArgumentTypes.Input"/> or <see cref="ArgumentTypes.Output"/>.</summary>
    [JsonPropertyName("type")]
    public string Type { get; init; } = ArgumentTypes.Input;

    /// <summary>The value of an input that an include action does not give.</summary>
    [JsonPropertyName("default")]
    public JsonNode? Default { get; init; }
}
