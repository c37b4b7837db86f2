using System.Collections;
using System.ComponentModel;
using System.Diagnostics;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Steep.Agent.Native;

/// <summary>
/// Starts programs on Linux with <c>posix_spawn</c>: stdin from /dev/null, stdout and stderr straight into a file
/// (the chain's log), its own process group (for killing the tree), and the exit awaited through
/// <see cref="ChildReaper"/>; registered with <see cref="ServiceWatchdog"/> while it runs, so that the group dies
/// with steep. Compared with <see cref="Process"/> there are no pipes to pump and no threads to wake
/// per line of output, which is most of an agent's overhead for short tools.
/// </summary>
internal static class PosixSpawnLauncher
{

    /// <summary>True where this launcher works (Linux with glibc's posix_spawn extensions).</summary>
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() && Probe();

    /// <summary>
    /// Runs <paramref name="fileName"/> with its output appended to <paramref name="output"/> and waits for its exit.
    /// Cancelling <paramref name="ct"/> kills the process tree, runs <paramref name="onCancel"/> alongside, and
    /// returns promptly. <paramref name="onStarted"/> gets the pid and start time of the started process (the leader
    /// of its own process group).
    /// </summary>
    public static async Task<ProcessResult> RunAsync(
        string fileName, IReadOnlyList<string> arguments, string workingDirectory, SafeFileHandle output,
        Func<Task>? onCancel, Action<int, ulong>? onStarted, CancellationToken ct)
    {
        // started before the first service (its start takes milliseconds), so that every service is registered with it
        // right after its spawn; a steep killed in the microseconds between the two leaves that one service to the
        // next start's OrphanReaper
        var watchdog = ServiceWatchdog.Shared;
        int pid;
        bool added = false;
        output.DangerousAddRef(ref added);
        try
        {
            var error = Spawn(fileName, arguments, workingDirectory, (int)output.DangerousGetHandle(), out pid);
            if (error is not null) return new ProcessResult(-1, error, false);
        }
        finally
        {
            if (added) output.DangerousRelease();
        }

        var exit = ChildReaper.Shared.WaitAsync(pid);
        // the start time tells this process apart from a later one with the same pid (for the watchdog and the record)
        ulong? start = watchdog is not null || onStarted is not null ? ProcStat.Read(pid)?.StartTime : null;
        if (start is { } t)
        {
            watchdog?.Started(pid, t);
            onStarted?.Invoke(pid, t);
        }
        try
        {
            return await WaitAsync(pid, exit, onCancel, ct).ConfigureAwait(false);
        }
        finally
        {
            if (start is not null) watchdog?.Ended(pid);
        }
    }

    private static async Task<ProcessResult> WaitAsync(int pid, Task<int> exit, Func<Task>? onCancel, CancellationToken ct)
    {
        try
        {
            return new ProcessResult(await exit.WaitAsync(ct).ConfigureAwait(false), null, false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            if (exit.IsCompleted) return new ProcessResult(await exit.ConfigureAwait(false), null, false);
            var extra = onCancel?.Invoke();
            KillTree(pid);
            await ProcessRunner.WaitQuietlyAsync(exit, ProcessRunner.KillWait).ConfigureAwait(false);
            if (extra is not null) await ProcessRunner.WaitQuietlyAsync(extra, ProcessRunner.KillWait).ConfigureAwait(false);
            return new ProcessResult(-1, null, true);
        }
    }

    /// <summary>Kills a child and all its descendants (the ones found through /proc, then its process group).</summary>
    private static void KillTree(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            process.Kill(entireProcessTree: true);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or Win32Exception or NotSupportedException)
        {
            // exited meanwhile
        }
        LibC.kill(-pid, LibC.SIGKILL); // descendants whose parent already exited are no longer below it in /proc
    }

    private static unsafe string? Spawn(string fileName, IReadOnlyList<string> arguments, string workingDirectory, int outputFd, out int pid)
    {
        pid = 0;
        var envp = (byte**)EnvironmentBlock.Value;
        // one native block: the argument pointers first, then the NUL-terminated UTF-8 strings they point to
        int pointers = arguments.Count + 2;
        long bytes = Utf8Size(fileName) + Utf8Size(workingDirectory) + Utf8Size("/dev/null");
        foreach (var a in arguments) bytes += Utf8Size(a);
        long size = pointers * (long)sizeof(byte*) + bytes + LibC.FileActionsSize + LibC.AttributesSize + 2 * LibC.SigSetSize;
        byte* block = (byte*)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)size);
        try
        {
            var argv = (byte**)block;
            byte* next = (byte*)(argv + pointers);
            byte* fileActions = next;
            byte* attributes = fileActions + LibC.FileActionsSize;
            byte* mask = attributes + LibC.AttributesSize;
            byte* defaults = mask + LibC.SigSetSize;
            next = defaults + LibC.SigSetSize;

            byte* path = Put(fileName, ref next);
            byte* directory = Put(workingDirectory, ref next);
            byte* devNull = Put("/dev/null", ref next);
            argv[0] = path;
            for (int i = 0; i < arguments.Count; i++) argv[i + 1] = Put(arguments[i], ref next);

            LibC.posix_spawn_file_actions_init(fileActions);
            LibC.posix_spawnattr_init(attributes);
            try
            {
                LibC.posix_spawn_file_actions_addopen(fileActions, 0, devNull, LibC.O_RDONLY, 0);
                LibC.posix_spawn_file_actions_adddup2(fileActions, outputFd, 1);
                LibC.posix_spawn_file_actions_adddup2(fileActions, outputFd, 2);
                LibC.posix_spawn_file_actions_addchdir_np(fileActions, directory);
                // a clean signal state: nothing blocked, every disposition back to its default (.NET ignores SIGPIPE,
                // and an ignored signal stays ignored across exec). Naming all signals also spares the child one
                // sigaction query per signal, which costs more than the exec of a small tool on some VMs.
                LibC.sigemptyset(mask);
                LibC.sigfillset(defaults);
                LibC.posix_spawnattr_setsigmask(attributes, mask);
                LibC.posix_spawnattr_setsigdefault(attributes, defaults);
                LibC.posix_spawnattr_setpgroup(attributes, 0);
                LibC.posix_spawnattr_setflags(attributes,
                    LibC.POSIX_SPAWN_SETPGROUP | LibC.POSIX_SPAWN_SETSIGMASK | LibC.POSIX_SPAWN_SETSIGDEF);
                int child;
                int rc = LibC.posix_spawn(&child, path, fileActions, attributes, argv, envp);
                if (rc != 0) return LibC.ErrorText(rc);
                pid = child;
                return null;
            }
            finally
            {
                LibC.posix_spawnattr_destroy(attributes);
                LibC.posix_spawn_file_actions_destroy(fileActions);
            }
        }
        finally
        {
            System.Runtime.InteropServices.NativeMemory.Free(block);
        }
    }

    /// <summary>
    /// The services' environment (steep's own) as a native <c>envp</c> array, encoded once: steep never changes its
    /// environment, and copying and encoding it anew for every start made a third of everything steep allocated per
    /// chain (a Hashtable, two strings per variable and their concatenation). Never freed: it lives as long as the
    /// process.
    /// </summary>
    private static readonly Lazy<nint> EnvironmentBlock = new(EncodeEnvironment);

    private static unsafe nint EncodeEnvironment()
    {
        var entries = new List<string>();
        foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) entries.Add((string)e.Key + "=" + (string?)e.Value);
        long bytes = 0;
        foreach (var e in entries) bytes += Utf8Size(e);
        var envp = (byte**)System.Runtime.InteropServices.NativeMemory.AllocZeroed((nuint)((entries.Count + 1) * (long)sizeof(byte*) + bytes));
        byte* next = (byte*)(envp + entries.Count + 1);
        for (int i = 0; i < entries.Count; i++) envp[i] = Put(entries[i], ref next);
        return (nint)envp; // the last pointer stays null
    }

    private static long Utf8Size(string s) => Encoding.UTF8.GetByteCount(s) + 1;

    private static unsafe byte* Put(string s, ref byte* next)
    {
        byte* start = next;
        int written = Encoding.UTF8.GetBytes(s, new Span<byte>(next, Encoding.UTF8.GetMaxByteCount(s.Length)));
        next[written] = 0;
        next += written + 1;
        return start;
    }

    private static unsafe bool Probe()
    {
        // calls the newest entry point once, so that a too-old C library shows here and not in the middle of a run
        byte* fileActions = stackalloc byte[LibC.FileActionsSize];
        byte* root = stackalloc byte[] { (byte)'/', 0 };
        try
        {
            LibC.posix_spawn_file_actions_init(fileActions);
            LibC.posix_spawn_file_actions_addchdir_np(fileActions, root);
            LibC.posix_spawn_file_actions_destroy(fileActions);
            return true;
        }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException)
        {
            return false;
        }
    }
}
