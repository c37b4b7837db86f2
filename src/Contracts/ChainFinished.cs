namespace Steep.Contracts;

/// <summary>How one process chain of a submission ended, as the submission's generator consumes it.</summary>
/// <param name="ChainId">The chain.</param>
/// <param name="Status">SUCCESS, ERROR or CANCELLED.</param>
/// <param name="Results">Output files by output variable id (on SUCCESS).</param>
/// <param name="ExecutedExecutableIds">Ids of the executables that finished successfully.</param>
/// <param name="ErrorMessage">What went wrong (on ERROR).</param>
[GenerateSerializer, Immutable, Alias("steep.ChainFinished")]
public sealed record ChainFinished(
    [property: Id(0)] string ChainId,
    [property: Id(1)] string Status,
    [property: Id(2)] IReadOnlyDictionary<string, IReadOnlyList<string>>? Results,
    [property: Id(3)] IReadOnlyList<string> ExecutedExecutableIds,
    [property: Id(4)] string? ErrorMessage);
