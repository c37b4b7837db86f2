using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>Runs one processing service with inputs, outputs and generic parameters.</summary>
public sealed record ExecuteAction : WorkflowAction
{
    /// <inheritdoc />
    [JsonPropertyName("type"), JsonPropertyOrder(-1)]
    public override string Type => "execute";

    /// <summary>The id of the service to run.</summary>
    [JsonPropertyName("service")]
    public string Service { get; init; } = "";

    /// <summary>Input parameters.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<InputParameter> Inputs { get; init; } = [];

    /// <summary>Output parameters.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<OutputParameter> Outputs { get; init; } = [];

    /// <summary>Generic parameters (workflow API 4.0); treated like inputs.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyList<InputParameter> Parameters { get; init; } = [];

    /// <summary>
    /// Steep 6: the priority of the process chains generated from this action (higher runs first); unset, that of the
    /// enclosing for-each action, else the workflow's. A chain of several actions takes the highest.
    /// </summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }

    /// <summary>A retry policy overriding the service's.</summary>
    [JsonPropertyName("retries")]
    public RetryPolicy? Retries { get; init; }
}
