using System.Runtime.InteropServices;

namespace Steep.Agent.Native;

/// <summary>The few C library calls the Linux process launcher needs (glibc 2.29 or newer; pidfd_open needs 2.36).</summary>
internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int SIGKILL = 9;
    public const int EINTR = 4;
    public const int ECHILD = 10;
    public const short POLLIN = 0x001;
    public const int WNOHANG = 1;
    public const int O_RDONLY = 0;
    public const int O_CLOEXEC = 0x80000;
    public const int O_APPEND = 0x400;
    public const int O_RDWR = 2;
    public const int O_CREAT = 0x40;
    public const int ENOENT = 2;
    public const int F_GETFL = 3;
    public const int F_SETFL = 4;
    public const int EFD_CLOEXEC = 0x80000;
    public const short POSIX_SPAWN_SETPGROUP = 0x02;
    public const short POSIX_SPAWN_SETSIGDEF = 0x04;
    public const short POSIX_SPAWN_SETSIGMASK = 0x08;

    // glibc's posix_spawn_file_actions_t is 80 bytes, posix_spawnattr_t 336 and sigset_t 128 on 64-bit targets;
    // the launcher allocates more than that so that a larger layout elsewhere cannot overrun its buffers
    public const int FileActionsSize = 256;
    public const int AttributesSize = 1024;
    public const int SigSetSize = 256;

    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib)] public static partial int posix_spawn(int* pid, byte* path, void* fileActions, void* attributes, byte** argv, byte** envp);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_init(void* fileActions);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_destroy(void* fileActions);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_addopen(void* fileActions, int fd, byte* path, int flags, uint mode);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_adddup2(void* fileActions, int fd, int newFd);
    [LibraryImport(Lib)] public static partial int posix_spawn_file_actions_addchdir_np(void* fileActions, byte* path);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_init(void* attributes);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_destroy(void* attributes);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setflags(void* attributes, short flags);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setpgroup(void* attributes, int processGroup);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setsigmask(void* attributes, void* sigset);
    [LibraryImport(Lib)] public static partial int posix_spawnattr_setsigdefault(void* attributes, void* sigset);
    [LibraryImport(Lib)] public static partial int sigemptyset(void* sigset);
    [LibraryImport(Lib)] public static partial int sigfillset(void* sigset);

    [LibraryImport(Lib, SetLastError = true)] public static partial int waitpid(int pid, int* status, int options);
    [LibraryImport(Lib, SetLastError = true)] public static partial int kill(int pid, int signal);
    [LibraryImport(Lib, SetLastError = true)] public static partial int pidfd_open(int pid, uint flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial int poll(PollFd* fds, nuint count, int timeout);
    [LibraryImport(Lib, SetLastError = true)] public static partial int eventfd(uint initial, int flags);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint read(int fd, void* buffer, nuint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial nint write(int fd, void* buffer, nuint count);
    [LibraryImport(Lib, SetLastError = true)] public static partial int close(int fd);
    [LibraryImport(Lib, SetLastError = true, StringMarshalling = StringMarshalling.Utf8)] public static partial int open(string path, int flags, uint mode);
    [LibraryImport(Lib, SetLastError = true)] public static partial int fcntl(int fd, int command, int argument);
    [LibraryImport(Lib, StringMarshalling = StringMarshalling.Utf8)] public static partial nint strerror(int error);

    /// <summary>The text of an errno value, e.g. "No such file or directory".</summary>
    public static string ErrorText(int error) => Marshal.PtrToStringUTF8(strerror(error)) ?? $"error {error}";

    /// <summary>A shell-style exit code from a wait status: the exit code, or 128 + the signal that ended it.</summary>
    public static int ExitCode(int status) => (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f);
}
