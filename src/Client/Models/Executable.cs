using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>One call of a processing service within a <see cref="ProcessChain"/>.</summary>
public sealed record Executable
{
    /// <summary>An identifier, typically the id of the action or service (not necessarily unique).</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>The program to run; for the docker runtime, the image.</summary>
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary>The id of the service this executable calls, when the server reports it.</summary>
    [JsonPropertyName("serviceId")]
    public string? ServiceId { get; init; }

    /// <summary>The arguments passed to the service, in command-line order.</summary>
    [JsonPropertyName("arguments")]
    public IReadOnlyList<Argument> Arguments { get; init; } = [];

    /// <summary>The runtime that executes the service: <c>other</c>, <c>docker</c> or one added by a plugin.</summary>
    [JsonPropertyName("runtime")]
    public string Runtime { get; init; } = "";

    /// <summary>Arguments passed to the runtime.</summary>
    [JsonPropertyName("runtimeArgs")]
    public IReadOnlyList<Argument> RuntimeArgs { get; init; } = [];

    /// <summary>How failed attempts are retried, if at all.</summary>
    [JsonPropertyName("retries")]
    public RetryPolicy? Retries { get; init; }
}
