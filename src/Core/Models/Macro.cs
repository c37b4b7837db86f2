using System.Text.Json.Serialization;

namespace Steep.Core.Models;

/// <summary>A reusable piece of workflow (Steep 6, workflow API 4.7) that <see cref="IncludeAction"/>s insert.</summary>
public sealed record Macro
{
    /// <summary>The id include actions refer to.</summary>
    [JsonPropertyName("id")]
    public string Id { get; init; } = "";

    /// <summary>A human-readable name.</summary>
    [JsonPropertyName("name")]
    public string? Name { get; init; }

    /// <summary>A human-readable description.</summary>
    [JsonPropertyName("description")]
    public string? Description { get; init; }

    /// <summary>The inputs and outputs an include action binds.</summary>
    [JsonPropertyName("parameters")]
    public IReadOnlyList<MacroParameter> Parameters { get; init; } = [];

    /// <summary>Variables of the macro's own (renamed per include).</summary>
    [JsonPropertyName("vars")]
    public IReadOnlyList<Variable> Vars { get; init; } = [];

    /// <summary>The actions an include is replaced with.</summary>
    [JsonPropertyName("actions")]
    public IReadOnlyList<WorkflowAction> Actions { get; init; } = [];
}
