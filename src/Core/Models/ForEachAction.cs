using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>Applies its sub-actions to every item of its input; may feed outputs back into its input.</summary>
public sealed record ForEachAction : WorkflowAction
{
    /// <inheritdoc />
    [JsonPropertyName("type"), JsonPropertyOrder(-1)]
    public override string Type => "for";

    /// <summary>The variable holding the items.</summary>
    [JsonPropertyName("input")]
    public string Input { get; init; } = "";

    /// <summary>The variable that holds the current item in each iteration.</summary>
    [JsonPropertyName("enumerator")]
    public string Enumerator { get; init; } = "";

    /// <summary>The variable collecting the yielded outputs of all iterations.</summary>
    [JsonPropertyName("output")]
    public string? Output { get; init; }

    /// <summary>The sub-actions applied in each iteration.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<WorkflowAction> Actions { get; init; } = [];

    /// <summary>A sub-action output appended to <see cref="Output"/>.</summary>
    [JsonPropertyName("yieldToOutput")]
    public string? YieldToOutput { get; init; }

    /// <summary>A sub-action output appended to the input, creating further iterations.</summary>
    [JsonPropertyName("yieldToInput")]
    public string? YieldToInput { get; init; }

    /// <summary>Steep 6: the priority of the process chains generated from the actions inside, unless they have their own.</summary>
    [JsonPropertyName("priority")]
    public int? Priority { get; init; }
}
