using Steep.Core.Models;

namespace Steep.Agent;

/// <summary>The built-in runtimes: how an executable becomes a program start.</summary>
internal static class Runtimes
{
    /// <summary>The runtime for programs on this machine.</summary>
    public const string Other = "other";

    /// <summary>The runtime for Docker images.</summary>
    public const string Docker = "docker";

    /// <summary>The launch plan of <paramref name="executable"/>, or null and the reason it cannot run here.</summary>
    public static LaunchPlan? Prepare(
        Executable executable, AgentOptions options, string workingDirectory, string containerName, out string? error)
    {
        switch (executable.Runtime)
        {
            case Other:
            {
                options.ServiceDirectories.TryGetValue(executable.ServiceId, out var serviceDir);
                var program = ProgramResolver.Resolve(executable.Path, serviceDir, workingDirectory, out error);
                if (program is null) return null;
                var args = new List<string>(executable.Arguments.Count + 2);
                CommandLine.AppendArguments(args, executable.Arguments);
                return new LaunchPlan(program, args, null);
            }
            case Docker:
            {
                var docker = ResolveDocker(options, workingDirectory, out error);
                if (docker is null) return null;
                var args = new List<string>(8 + executable.RuntimeArgs.Count + executable.Arguments.Count
                    + 2 * (options.DockerVolumes.Count + options.DockerEnvironment.Count)) { "run" };
                CommandLine.AppendArguments(args, executable.RuntimeArgs, emptyValueIsFlag: true);
                foreach (var v in options.DockerVolumes) { args.Add("-v"); args.Add(v); }
                foreach (var e in options.DockerEnvironment) { args.Add("-e"); args.Add(e); }
                args.Add("--name");
                args.Add(containerName);
                args.Add(executable.Path);
                CommandLine.AppendArguments(args, executable.Arguments);
                return new LaunchPlan(docker, args, containerName);
            }
            default:
                error = $"unknown runtime '{executable.Runtime}' (this agent runs '{Other}' and '{Docker}')";
                return null;
        }
    }

    /// <summary>The Docker client program.</summary>
    public static string? ResolveDocker(AgentOptions options, string workingDirectory, out string? error)
    {
        var docker = ProgramResolver.Resolve(options.DockerCommand, null, workingDirectory, out error);
        if (docker is null) error = $"the Docker client cannot be found: {error}";
        return docker;
    }

    /// <summary>A container name unique to this run, valid for Docker ([a-zA-Z0-9][a-zA-Z0-9_.-]*).</summary>
    public static string ContainerName(string chainId, int executableIndex, int attempt)
    {
        Span<char> id = stackalloc char[Math.Min(chainId.Length, 64)];
        for (int i = 0; i < id.Length; i++)
        {
            char c = chainId[i];
            id[i] = char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_';
        }
        // the random part keeps names unique across agents and re-runs of the same chain
        return $"steep-{id}-{executableIndex}-{attempt}-{Guid.NewGuid().ToString("N")[..12]}";
    }
}
