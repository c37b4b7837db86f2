using System.Runtime.InteropServices;

namespace Steep.Agent.Native;

/// <summary>
/// Waits for the exit of child processes without holding a thread per child: one background thread polls a pidfd
/// per child and reaps the child when it becomes readable.
/// </summary>
/// <remarks>
/// Only the children registered here are reaped (<c>waitpid</c> by pid), so processes started by
/// <see cref="System.Diagnostics.Process"/> elsewhere in the program are left to .NET. Without pidfd support
/// (Linux before 5.3) each wait blocks a dedicated thread instead.
/// </remarks>
internal sealed unsafe class ChildReaper
{
    /// <summary>The reaper of this process.</summary>
    public static readonly ChildReaper Shared = new();

    private readonly Lock _gate = new();
    private readonly Dictionary<int, Waiter> _waiters = []; // by pidfd
    private readonly int _wakeFd;
    private LibC.PollFd[] _fds = new LibC.PollFd[8];

    private ChildReaper()
    {
        _wakeFd = LibC.eventfd(0, LibC.EFD_CLOEXEC);
        if (_wakeFd < 0) throw new InvalidOperationException($"eventfd failed: {LibC.ErrorText(Marshal.GetLastPInvokeError())}");
        new Thread(Loop) { IsBackground = true, Name = "steep child reaper" }.Start();
    }

    /// <summary>Completes with the exit code of child <paramref name="pid"/> (128 + signal when a signal ended it).</summary>
    public Task<int> WaitAsync(int pid)
    {
        int pidfd = PidFdOpen(pid);
        if (pidfd < 0) return Task.Factory.StartNew(() => BlockingWait(pid), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var waiter = new Waiter(pid, new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously));
        lock (_gate) _waiters.Add(pidfd, waiter);
        Wake();
        return waiter.Exit.Task;
    }

    private static int PidFdOpen(int pid)
    {
        try
        {
            return LibC.pidfd_open(pid, 0);
        }
        catch (EntryPointNotFoundException)
        {
            return -1; // C library older than 2.36
        }
    }

    private void Wake()
    {
        ulong one = 1;
        LibC.write(_wakeFd, &one, sizeof(ulong));
    }

    private void Loop()
    {
        while (true)
        {
            int count;
            lock (_gate)
            {
                count = _waiters.Count + 1;
                if (_fds.Length < count) _fds = new LibC.PollFd[count * 2];
                _fds[0] = new LibC.PollFd { Fd = _wakeFd, Events = LibC.POLLIN };
                int i = 1;
                foreach (var pidfd in _waiters.Keys) _fds[i++] = new LibC.PollFd { Fd = pidfd, Events = LibC.POLLIN };
            }
            int ready;
            fixed (LibC.PollFd* fds = _fds) ready = LibC.poll(fds, (nuint)count, -1);
            if (ready < 0) continue; // EINTR
            if (_fds[0].Revents != 0)
            {
                ulong value;
                LibC.read(_wakeFd, &value, sizeof(ulong));
            }
            for (int i = 1; i < count; i++)
            {
                if (_fds[i].Revents == 0) continue;
                int pidfd = _fds[i].Fd;
                Waiter waiter;
                lock (_gate) waiter = _waiters[pidfd];
                int status;
                int reaped = LibC.waitpid(waiter.Pid, &status, LibC.WNOHANG);
                if (reaped == 0) continue; // readable before the zombie is visible to waitpid: poll again
                lock (_gate) _waiters.Remove(pidfd);
                LibC.close(pidfd);
                if (reaped < 0) waiter.Exit.TrySetException(new InvalidOperationException(
                    $"cannot wait for process {waiter.Pid}: {LibC.ErrorText(Marshal.GetLastPInvokeError())}"));
                else waiter.Exit.TrySetResult(LibC.ExitCode(status));
            }
        }
    }

    private static int BlockingWait(int pid)
    {
        while (true)
        {
            int status;
            if (LibC.waitpid(pid, &status, 0) == pid) return LibC.ExitCode(status);
            int error = Marshal.GetLastPInvokeError();
            if (error != LibC.EINTR) throw new InvalidOperationException($"cannot wait for process {pid}: {LibC.ErrorText(error)}");
        }
    }

    private sealed record Waiter(int Pid, TaskCompletionSource<int> Exit);
}
