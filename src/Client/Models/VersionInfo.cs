using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>The server's version information (<c>GET /</c>).</summary>
public sealed record VersionInfo
{
    /// <summary>The version number, such as <c>5.2.0</c>.</summary>
    [JsonPropertyName("version")]
    public string Version { get; init; } = "";

    /// <summary>A build identifier.</summary>
    [JsonPropertyName("build")]
    public string Build { get; init; } = "";

    /// <summary>The Git commit the build was made from.</summary>
    [JsonPropertyName("commit")]
    public string Commit { get; init; } = "";

    /// <summary>When the build was made, in milliseconds since the Unix epoch.</summary>
    [JsonPropertyName("timestamp")]
    public long Timestamp { get; init; }
}
