using Steep.Core.Models;

namespace Steep.Core.Generator;

/// <summary>Where generated output files go and how generated names start.</summary>
/// <param name="TmpPath">Base directory of temporary outputs.</param>
/// <param name="OutPath">Base directory of outputs with <c>store: true</c>.</param>
/// <param name="IdSeed">Prefix of every generated name; random when null. Makes names unique across generators.</param>
public sealed record GeneratorOptions(string TmpPath = "/tmp", string OutPath = "/out", string? IdSeed = null)
{
    /// <summary>
    /// Asked before an execute action joins a chain that already has executables (the chain so far, the action);
    /// false starts a new chain for the action once it is ready. Must be deterministic: steps are replayed after a
    /// restart. Null (the default) allows every join at no cost. What it throws fails the step (a
    /// <see cref="GeneratorException"/> with its message).
    /// </summary>
    public Func<IReadOnlyList<Executable>, ExecuteAction, bool>? ConsistencyCheck { get; init; }
}
