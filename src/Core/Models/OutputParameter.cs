using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>An output parameter of an execute action; its variable receives a generated file name.</summary>
public sealed record OutputParameter
{
    /// <summary>The service parameter's id.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The variable receiving the generated name.</summary>
    [JsonPropertyName("var")]
    public string Var { get; init; } = "";

    /// <summary>A string put between the base path and the generated name (absolute when it starts with '/').</summary>
    [JsonPropertyName("prefix")]
    public string? Prefix { get; init; }

    /// <summary>When true the file goes below the output path instead of the temporary path.</summary>
    [JsonPropertyName("store")]
    public bool Store { get; init; }
}
