using System.Text.Json.Serialization;
using Steep.Core.Serialization;

namespace Steep.Core.Models;

/// <summary>How often a parameter must (<see cref="Min"/>) and may (<see cref="Max"/>) appear; written "1..n".</summary>
[JsonConverter(typeof(CardinalityConverter))]
public readonly record struct Cardinality(int Min, int Max)
{
    /// <summary>Parses "min..max" where max may be "n".</summary>
    public static bool TryParse(string? text, out Cardinality cardinality)
    {
        cardinality = default;
        if (text is null) return false;
        var parts = text.Split("..");
        if (parts.Length != 2 || !int.TryParse(parts[0].Trim(), out int min) || min < 0) return false;
        var maxText = parts[1].Trim();
        int max;
        if (maxText == "n") max = int.MaxValue;
        else if (!int.TryParse(maxText, out max)) return false;
        if (min > max) return false;
        cardinality = new Cardinality(min, max);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Min}..{(Max == int.MaxValue ? "n" : Max.ToString())}";
}
