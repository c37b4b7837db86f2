namespace Steep.Agent;

/// <summary>How a process chain run ended.</summary>
/// <param name="Status">SUCCESS, ERROR or CANCELLED.</param>
/// <param name="Results">Output files by output variable id (on SUCCESS).</param>
/// <param name="ErrorMessage">What went wrong (on ERROR), with the exit code and the last lines of output.</param>
/// <param name="ExecutedExecutableIds">Ids of the executables that finished successfully.</param>
public sealed record ProcessChainOutcome(
    string Status,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? Results,
    string? ErrorMessage,
    IReadOnlyList<string> ExecutedExecutableIds);
