using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Steep.Agent.Native;

/// <summary>
/// Lets steep be process 1 of a container (an image's entry point, started without an init such as <c>docker run --init</c>).
/// </summary>
/// <remarks>
/// .NET's runtime, as process 1, reaps every child that ends (an init must, or orphans stay zombies), also those it
/// did not start: the services steep starts are then gone before <see cref="ChildReaper"/> can read their exit codes,
/// and every chain fails with "No child processes". So process 1 starts the same command as its child and stays as
/// that child's init: it forwards the signals that stop or interrupt steep and ends with the child's exit code, while
/// the runtime reaps the orphans. The child is not process 1 and runs as anywhere else.
/// </remarks>
public static class ContainerInit
{
    // SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2 (Linux numbers): what `docker stop`, Kubernetes or a terminal send
    private static readonly int[] ForwardedSignals = [1, 2, 3, 15, 10, 12];

    /// <summary>True when this process is process 1 of its PID namespace.</summary>
    public static bool IsProcessOne => OperatingSystem.IsLinux() && Environment.ProcessId == 1;

    /// <summary>
    /// Runs this program with <paramref name="args"/> as a child (same standard streams, environment and directory),
    /// forwards signals to it until it ends, and returns its exit code (128 + the signal that ended it).
    /// </summary>
    public static async Task<int> RunChildAsync(IReadOnlyList<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var start = new ProcessStartInfo(Environment.ProcessPath ?? throw new InvalidOperationException("The path of this program is unknown."))
        {
            UseShellExecute = false,
        };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var child = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {start.FileName}.");
        int pid = child.Id;
        var registrations = ForwardedSignals.Select(signal => PosixSignalRegistration.Create((PosixSignal)signal, context =>
        {
            context.Cancel = true; // the child decides how to stop; this process ends with it
            LibC.kill(pid, signal);
        })).ToList();
        try
        {
            await child.WaitForExitAsync().ConfigureAwait(false);
            return child.ExitCode;
        }
        finally
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}
