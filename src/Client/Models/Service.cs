using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>Service metadata: how a processing service is called (Steep's service object, Steep 6's camelCase field names).</summary>
public sealed record Service
{
    /// <summary>The unique service identifier, used by <see cref="ExecuteAction.Service"/>.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string Name { get; init; } = "";

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string Description { get; init; } = "";

    /// <summary>The program to run; for the docker runtime, the image.</summary>
    [JsonPropertyName("path")]
    public string Path { get; init; } = "";

    /// <summary>The runtime: <c>other</c>, <c>docker</c> or one added by a plugin.</summary>
    [JsonPropertyName("runtime")]
    public string Runtime { get; init; } = "";

    /// <summary>The service's parameters, in command-line order.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyList<ServiceParameter> Parameters { get; init; } = [];

    /// <summary>Arguments passed to the runtime.</summary>
    [JsonPropertyName("runtimeArgs")]
    public IReadOnlyList<RuntimeArgument> RuntimeArgs { get; init; } = [];

    /// <summary>Capabilities a host must provide to run this service.</summary>
    [JsonPropertyName("requiredCapabilities")]
    public IReadOnlyList<string> RequiredCapabilities { get; init; } = [];

    /// <summary>The default retry policy for calls of this service; null for none.</summary>
    [JsonPropertyName("retries")]
    public RetryPolicy? Retries { get; init; }
}
