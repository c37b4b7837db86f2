using System.Text.Json.Serialization;

namespace Steep.Grains;

/// <summary>What one generator step consumed: the finished chains, their results and executed executable ids.</summary>
internal sealed record StepInput(
    [property: JsonPropertyName("chains")] IReadOnlyList<string> Chains,
    [property: JsonPropertyName("results")] IReadOnlyDictionary<string, IReadOnlyList<string>> Results,
    [property: JsonPropertyName("executed")] IReadOnlyList<string> Executed,
    [property: JsonPropertyName("budget"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? Budget = null);
