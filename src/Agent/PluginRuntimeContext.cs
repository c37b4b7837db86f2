using Steep.Core.Models;
using Steep.Plugins;

namespace Steep.Agent;

/// <summary>What a runtime plugin gets for one executable: steep's program lookup, the command line, the log and process runner.</summary>
internal sealed class PluginRuntimeContext(
    Executable executable, AgentOptions options, string workingDirectory, Action<string> output, string chainId, RunningProcessJournal? journal)
    : IRuntimeContext
{
    private IReadOnlyList<string>? _commandLine;

    public string WorkingDirectory => workingDirectory;

    public IReadOnlyList<string> CommandLine
    {
        get
        {
            if (_commandLine is null)
            {
                var args = new List<string>(executable.Arguments.Count + 2);
                Agent.CommandLine.AppendArguments(args, executable.Arguments);
                _commandLine = args;
            }
            return _commandLine;
        }
    }

    public string? ResolveProgram(string path)
    {
        options.ServiceDirectories.TryGetValue(executable.ServiceId, out var serviceDir);
        return ProgramResolver.Resolve(path, serviceDir, workingDirectory, out _);
    }

    public void Output(string line) => output(line);

    public async Task<int> RunProcessAsync(string program, IReadOnlyList<string> arguments, CancellationToken ct)
    {
        using var tracked = journal?.Track(chainId);
        var result = await ProcessRunner.RunAsync(program, arguments, workingDirectory, output, null, options.OutputDrainTimeout, ct,
            tracked is null ? null : tracked.Started).ConfigureAwait(false);
        if (result.Cancelled) throw new OperationCanceledException(ct);
        if (result.StartError is not null) throw new InvalidOperationException($"cannot start '{program}': {result.StartError}");
        return result.ExitCode;
    }
}
