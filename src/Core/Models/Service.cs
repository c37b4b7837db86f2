using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>Service metadata: how a processing service is called.</summary>
public sealed record Service
{
    /// <summary>A unique service identifier.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>The executable (or Docker image for the docker runtime).</summary>
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary>The runtime environment: "other", "docker" or a plugin's.</summary>
    [JsonPropertyName("runtime")]
    public string Runtime { get; init; } = "other";

    /// <summary>The service's parameters, in command-line order.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyList<ServiceParameter> Parameters { get; init; } = [];

    /// <summary>Arguments passed to the runtime.</summary>
    [JsonPropertyName("runtime_args")]
    public IReadOnlyList<RuntimeArgument> RuntimeArgs { get; init; } = [];

    /// <summary>Capabilities a host must provide to run this service.</summary>
    [JsonPropertyName("required_capabilities")]
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>The default retry policy for executables of this service.</summary>
    [JsonPropertyName("retries")]
    public RetryPolicy? Retries { get; init; }
}
