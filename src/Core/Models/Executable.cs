using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>One service call of a process chain.</summary>
public sealed record Executable
{
    /// <summary>An identifier (the action id; not necessarily unique).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The program (or Docker image) to run.</summary>
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary>The id of the service this executable calls.</summary>
    [JsonPropertyName("serviceId")]
    public string ServiceId { get; init; } = "";

    /// <summary>The arguments, in command-line order.</summary>
    [JsonPropertyName("arguments")]
    public IReadOnlyList<Argument> Arguments { get; init; } = [];

    /// <summary>The runtime: "other", "docker" or a plugin's.</summary>
    [JsonPropertyName("runtime")]
    public string Runtime { get; init; } = "other";

    /// <summary>Arguments for the runtime.</summary>
    [JsonPropertyName("runtimeArgs")]
    public IReadOnlyList<Argument> RuntimeArgs { get; init; } = [];

    /// <summary>The retry policy, if any.</summary>
    [JsonPropertyName("retries")]
    public RetryPolicy? Retries { get; init; }
}
