using System.ComponentModel;
using System.Diagnostics;

namespace Steep.Agent;

/// <summary>Runs one program with an argument list (never a shell), streaming its output lines as they arrive.</summary>
internal static class ProcessRunner
{
    /// <summary>How long a killed process tree is given to be gone.</summary>
    public static readonly TimeSpan KillWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Starts <paramref name="fileName"/> and waits for its exit. Each line of stdout and stderr goes to
    /// <paramref name="onLine"/> (called from two threads). Cancelling <paramref name="ct"/> kills the process tree,
    /// runs <paramref name="onCancel"/> (e.g. <c>docker kill</c>) alongside, and returns promptly.
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, Action<string> onLine,
        Func<Task>? onCancel, TimeSpan drainTimeout, CancellationToken ct, Action<int, ulong>? onStarted = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var a in arguments) psi.ArgumentList.Add(a);

        using var process = new Process { StartInfo = psi };
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            return new ProcessResult(-1, Reason(e), false);
        }

        if (onStarted is not null && Native.ProcStat.Read(process.Id) is { } stat) onStarted(process.Id, stat.StartTime);
        // services never get input from the agent: an immediate EOF instead of a hang on a read
        try
        {
            process.StandardInput.Close();
        }
        catch (IOException)
        {
            // the program already exited
        }
        var stdout = PumpAsync(process.StandardOutput, onLine);
        var stderr = PumpAsync(process.StandardError, onLine);

        try
        {
            await process.WaitForExitAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            var extra = onCancel?.Invoke();
            KillTree(process);
            await WaitQuietlyAsync(process.WaitForExitAsync(), KillWait).ConfigureAwait(false);
            if (extra is not null) await WaitQuietlyAsync(extra, KillWait).ConfigureAwait(false);
            return new ProcessResult(-1, null, true);
        }

        // normally the pipes close together with the exit; a background child the service left may keep them open
        var pumps = Task.WhenAll(stdout, stderr);
        if (!pumps.IsCompleted) await WaitQuietlyAsync(pumps, drainTimeout).ConfigureAwait(false);
        return new ProcessResult(process.ExitCode, null, false);
    }

    /// <summary>Kills a process and all its descendants, ignoring the ones that are already gone.</summary>
    public static void KillTree(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // exited meanwhile
        }
    }

    private static async Task PumpAsync(StreamReader reader, Action<string> onLine)
    {
        try
        {
            while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line) onLine(line);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // the pipe went away with the process
        }
    }

    /// <summary>Waits for <paramref name="task"/> at most <paramref name="timeout"/>, ignoring how it ends.</summary>
    public static async Task WaitQuietlyAsync(Task task, TimeSpan timeout)
    {
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // bounded wait: the result is decided already
        }
    }

    private static string Reason(Win32Exception e)
    {
        // .NET's message names the file and working directory; the native error text is the reason users need
        var native = new Win32Exception(e.NativeErrorCode).Message;
        return string.IsNullOrEmpty(native) ? e.Message : native;
    }
}
