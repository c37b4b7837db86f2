using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An action that runs one processing service with inputs, outputs and parameters.</summary>
public sealed record ExecuteAction : WorkflowAction
{
    /// <summary>The id of the service to run (see <see cref="Service.Id"/>).</summary>
    [JsonPropertyName("service")]
    public string Service { get; init; } = "";

    /// <summary>The input parameters.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<InputParameter> Inputs { get; init; } = [];

    /// <summary>The output parameters.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<OutputParameter> Outputs { get; init; } = [];

    /// <summary>Generic parameters (workflow API 4.0), bound like inputs.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyList<InputParameter> Parameters { get; init; } = [];

    /// <summary>A retry policy that overrides the service's; null to keep the service's.</summary>
    [JsonPropertyName("retries")]
    public RetryPolicy? Retries { get; init; }
}
