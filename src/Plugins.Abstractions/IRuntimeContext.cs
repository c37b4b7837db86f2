namespace Steep.Plugins;

/// <summary>What steep offers a <see cref="IRuntime"/> for one executable.</summary>
public interface IRuntimeContext
{
    /// <summary>The directory services run in; relative paths are relative to it.</summary>
    string WorkingDirectory { get; }

    /// <summary>
    /// The program of the executable as the <c>other</c> runtime would start it (relative paths resolved against the
    /// service metadata's folder, names looked up on PATH), or null when it cannot be found.
    /// </summary>
    string? ResolveProgram(string path);

    /// <summary>The executable's arguments on a command line (labels and values), as the <c>other</c> runtime passes them.</summary>
    IReadOnlyList<string> CommandLine { get; }

    /// <summary>Writes one line to the chain's log (and to progress estimators).</summary>
    void Output(string line);

    /// <summary>
    /// Starts a program in <see cref="WorkingDirectory"/>, copies its output to <see cref="Output"/> and returns its
    /// exit code; cancelling <paramref name="ct"/> kills its process tree.
    /// </summary>
    Task<int> RunProcessAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct);
}
