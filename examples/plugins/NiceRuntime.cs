// runtime "nice": runs an executable like the built-in "other" runtime, but at a lower CPU priority (nice -n 10).
public sealed class NiceRuntime : IRuntime
{
    public async Task ExecuteAsync(Executable executable, IRuntimeContext context, CancellationToken ct)
    {
        var program = context.ResolveProgram(executable.Path)
            ?? throw new FileNotFoundException($"program '{executable.Path}' not found");
        var nice = context.ResolveProgram("nice") ?? throw new FileNotFoundException("program 'nice' not found on the PATH");
        var arguments = new List<string> { "-n", "10", program };
        arguments.AddRange(context.CommandLine);
        int exitCode = await context.RunProcessAsync(nice, arguments, ct);
        if (exitCode != 0) throw new InvalidOperationException($"'{executable.Path}' failed with exit code {exitCode}");
    }
}
