using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>
/// Includes a macro (workflow API 4.7): replaced by the macro's actions before anything runs, with the macro's
/// parameters bound to the variables given here (see <see cref="Macros.MacroPreprocessor"/>).
/// </summary>
public sealed record IncludeAction : WorkflowAction
{
    /// <inheritdoc />
    [JsonPropertyName("type"), JsonPropertyOrder(-1)]
    public override string Type => "include";

    /// <summary>The id of the macro to include.</summary>
    [JsonPropertyName("macro")]
    public string Macro { get; init; } = "";

    /// <summary>Values or variables for the macro's input parameters.</summary>
    [JsonPropertyName("inputs")]
    public IReadOnlyList<InputParameter> Inputs { get; init; } = [];

    /// <summary>Variables receiving the macro's output parameters.</summary>
    [JsonPropertyName("outputs")]
    public IReadOnlyList<IncludeOutputParameter> Outputs { get; init; } = [];
}
