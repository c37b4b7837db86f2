namespace Steep.Agent;

/// <summary>How one run of a program ended.</summary>
/// <param name="ExitCode">The exit code, when the program ran to its end.</param>
/// <param name="StartError">Why the program could not be started, if it could not.</param>
/// <param name="Cancelled">True when the run was cancelled and its process tree killed.</param>
internal readonly record struct ProcessResult(int ExitCode, string? StartError, bool Cancelled);
