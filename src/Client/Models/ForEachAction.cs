using System.Text.Json.Serialization;

namespace Steep.Client.Models;

/// <summary>An action that applies its sub-actions to every item of its input, and may feed outputs back into it.</summary>
public sealed record ForEachAction : WorkflowAction
{
    /// <summary>The id of the variable holding the items.</summary>
    [JsonPropertyName("input")]
    public string Input { get; init; } = "";

    /// <summary>The id of the variable that holds the current item in each iteration.</summary>
    [JsonPropertyName("enumerator")]
    public string Enumerator { get; init; } = "";

    /// <summary>The id of the variable that collects the yielded outputs of all iterations; null for none.</summary>
    [JsonPropertyName("output")]
    public string? Output { get; init; }

    /// <summary>The sub-actions applied in each iteration.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<WorkflowAction> Actions { get; init; } = [];

    /// <summary>The id of a sub-action output that is appended to <see cref="Output"/>.</summary>
    [JsonPropertyName("yieldToOutput")]
    public string? YieldToOutput { get; init; }

    /// <summary>The id of a sub-action output that is appended to the input, creating further iterations.</summary>
    [JsonPropertyName("yieldToInput")]
    public string? YieldToInput { get; init; }
}
