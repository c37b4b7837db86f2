namespace Steep.Core.Serialization;

/// <summary>
/// How much one document may expand to while it is read. A small text can stand for a huge tree (YAML aliases
/// repeat nodes by reference; 2.4 KB of them once took 600 MiB), and a deep one can exhaust the stack, so every
/// reader that takes text from users bounds both before building anything from it.
/// </summary>
public sealed record ReadLimits
{
    /// <summary>The defaults: generous for real workflows (100,000-item lists), small next to the memory of a server.</summary>
    public static readonly ReadLimits Default = new();

    /// <summary>How deeply objects and lists may nest.</summary>
    public int MaxDepth { get; init; } = 64;

    /// <summary>How many values (objects, lists and scalars) YAML aliases may add when they are expanded.</summary>
    public int MaxAliasNodes { get; init; } = 100_000;

    /// <summary>How many characters of text YAML aliases may add when they are expanded (a repeated long string).</summary>
    public long MaxAliasChars { get; init; } = 4 * 1024 * 1024;

    /// <summary>Checks the values, naming the configuration key of a wrong one.</summary>
    /// <exception cref="ModelFormatException">a limit is out of range.</exception>
    public ReadLimits Checked()
    {
        if (MaxDepth is < 2 or > 1000)
            throw new ModelFormatException($"configuration 'steep.http.maxDepth' (the deepest nesting) must be from 2 to 1000, not {MaxDepth}");
        if (MaxAliasNodes < 0) throw new ModelFormatException($"configuration 'steep.http.maxAliasNodes' must be 0 or more values, not {MaxAliasNodes}");
        if (MaxAliasChars < 0) throw new ModelFormatException($"configuration 'steep.http.maxAliasChars' must be 0 or more characters, not {MaxAliasChars}");
        return this;
    }
}
