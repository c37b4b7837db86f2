using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An output parameter of an <see cref="ExecuteAction"/>: its variable receives a generated file name.</summary>
public sealed record OutputParameter
{
    /// <summary>The id of the service parameter.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The id of the variable that receives the generated name.</summary>
    [JsonPropertyName("var")]
    public string Var { get; init; } = "";

    /// <summary>A string put between the base path and the generated name (absolute when it starts with <c>/</c>).</summary>
    [JsonPropertyName("prefix")]
    public string? Prefix { get; init; }

    /// <summary>True to keep the file below the server's output path instead of its temporary path.</summary>
    [JsonPropertyName("store")]
    public bool Store { get; init; }
}
