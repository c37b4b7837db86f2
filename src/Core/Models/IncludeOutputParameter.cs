using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>An output of an include action: the macro's output parameter <see cref="Id"/> goes to <see cref="Var"/>.</summary>
public sealed record IncludeOutputParameter
{
    /// <summary>The macro parameter's id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The workflow variable receiving the output.</summary>
    [JsonPropertyName("var")]
    public string Var { get; init; } = "";
}
