using System.Runtime.InteropServices;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Steep.Agent.Native;

namespace Steep.Agent;

/// <summary>
/// The log file of one process chain: the agent's own lines (buffered, from several threads, in arrival order) and,
/// with <see cref="PosixSpawnLauncher"/>, the services' output written by the services themselves. Writing never
/// fails the chain: after an I/O error the log stops and the services keep running.
/// </summary>
internal sealed class ChainLog : IDisposable
{
    private const int TailWindowBytes = 256 * 1024;
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);
    private readonly Lock _gate = new();
    private readonly StringBuilder _pending = new();
    private SafeFileHandle? _file;
    private SafeFileHandle? _capture; // where output goes when there is no log file
    private long _end;
    private long _lastFlush; // Environment.TickCount64 of the last write of output lines
    private Timer? _flushSoon; // armed while output lines wait in the buffer

    private ChainLog(SafeFileHandle? file)
    {
        _file = file;
        if (file is not null) _end = RandomAccess.GetLength(file);
    }

    /// <summary>A log that writes nothing.</summary>
    public static ChainLog None => new(null);

    /// <summary>
    /// Opens (appends to) the log of run <paramref name="runNumber"/> of the chain (<see cref="ChainLogFileName.Of"/>)
    /// in <paramref name="directory"/>; a null directory gives <see cref="None"/>.
    /// </summary>
    public static ChainLog Open(string? directory, string chainId, int runNumber = 1)
    {
        if (directory is null) return None;
        var path = Path.Combine(directory, ChainLogFileName.Of(chainId, runNumber));
        SafeFileHandle file;
        try
        {
            file = OpenForAppend(path);
        }
        catch (DirectoryNotFoundException)
        {
            // the folder is made once (the host makes it at start): not looked for again before every chain's log
            Directory.CreateDirectory(directory);
            file = OpenForAppend(path);
        }
        return new ChainLog(file);
    }

    /// <summary>
    /// Opens or creates the file; where services write into it themselves (<see cref="PosixSpawnLauncher"/>), for
    /// appending (O_APPEND: every write, ours and theirs, lands at the end) with one system call, instead of the six of
    /// .NET's open, lock emulation and flag change: a log is opened for every chain.
    /// </summary>
    private static SafeFileHandle OpenForAppend(string path)
    {
        if (!PosixSpawnLauncher.IsSupported) return File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite);
        int fd = LibC.open(path, LibC.O_RDWR | LibC.O_CREAT | LibC.O_APPEND | LibC.O_CLOEXEC, 0b110_110_110); // 0666, less the umask
        if (fd >= 0) return new SafeFileHandle(fd, ownsHandle: true);
        int error = Marshal.GetLastPInvokeError();
        var reason = $"cannot open '{path}': {LibC.ErrorText(error)}";
        throw error == LibC.ENOENT ? new DirectoryNotFoundException(reason) : new IOException(reason);
    }

    /// <summary>The log file name of a chain's first run.</summary>
    public static string FileName(string chainId) => ChainLogFileName.Of(chainId, 1);

    /// <summary>Appends a line.</summary>
    public void WriteLine(string line)
    {
        lock (_gate)
        {
            if (_file is null) return;
            _pending.Append(line).Append('\n');
        }
    }

    /// <summary>
    /// Appends a line of a service's output that passes through this process (a progress estimator or a runtime plugin
    /// reads it): it reaches the file within <see cref="OutputDelay"/>, so that the log can be followed while the
    /// chain runs, and bursts of lines still go out in one write.
    /// </summary>
    public void WriteOutputLine(string line)
    {
        lock (_gate)
        {
            if (_file is null) return;
            _pending.Append(line).Append('\n');
            long now = Environment.TickCount64;
            if (now - _lastFlush >= OutputDelay.TotalMilliseconds || _pending.Length >= 64 * 1024)
            {
                _lastFlush = now;
                FlushPending();
            }
            else
            {
                _flushSoon ??= new Timer(static o => ((ChainLog)o!).FlushSoon(), this, Timeout.Infinite, Timeout.Infinite);
                _flushSoon.Change(OutputDelay, Timeout.InfiniteTimeSpan);
            }
        }
    }

    /// <summary>The longest a line of output waits in the buffer.</summary>
    public static readonly TimeSpan OutputDelay = TimeSpan.FromMilliseconds(100);

    private void FlushSoon()
    {
        lock (_gate)
        {
            _lastFlush = Environment.TickCount64;
            FlushPending();
        }
    }

    /// <summary>Hands what is buffered to the operating system (no fsync).</summary>
    public void Flush()
    {
        lock (_gate) FlushPending();
    }

    /// <summary>
    /// Flushes and returns the file a service's stdout and stderr go to (the log, or a hidden temporary file when
    /// there is none) and where its output starts; null when neither can be had.
    /// </summary>
    public (SafeFileHandle File, long Start)? BeginOutput()
    {
        lock (_gate)
        {
            FlushPending();
            if (_file is not null) return (_file, _end);
            try
            {
                _capture ??= File.OpenHandle(Path.Combine(Path.GetTempPath(), "steep-output-" + Guid.NewGuid().ToString("N")),
                    FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, FileOptions.DeleteOnClose);
                if (PosixSpawnLauncher.IsSupported) AppendOnly(_capture);
                return (_capture, RandomAccess.GetLength(_capture));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return null;
            }
        }
    }

    /// <summary>A service that wrote into the file has exited: later lines go after its output.</summary>
    public void EndOutput()
    {
        lock (_gate)
        {
            if (_file is null) return;
            try
            {
                _end = RandomAccess.GetLength(_file);
            }
            catch (IOException)
            {
                Abandon();
            }
        }
    }

    /// <summary>The last <paramref name="maxLines"/> lines a service wrote from <paramref name="start"/> on.</summary>
    public IReadOnlyList<string> ReadOutputTail(long start, int maxLines)
    {
        lock (_gate)
        {
            var file = _file ?? _capture;
            if (file is null || maxLines <= 0) return [];
            try
            {
                long end = RandomAccess.GetLength(file);
                long from = Math.Max(start, end - TailWindowBytes);
                if (end <= from) return [];
                var buffer = new byte[end - from];
                int read = 0;
                while (read < buffer.Length)
                {
                    int n = RandomAccess.Read(file, buffer.AsSpan(read), from + read);
                    if (n == 0) break;
                    read += n;
                }
                var lines = Utf8.GetString(buffer, 0, read).Split('\n');
                int first = from > start ? 1 : 0; // the window cut a line
                int last = lines.Length - (lines[^1].Length == 0 ? 1 : 0);
                first = Math.Max(first, last - maxLines);
                var tail = new List<string>(Math.Max(0, last - first));
                for (int i = first; i < last; i++) tail.Add(lines[i].TrimEnd('\r'));
                return tail;
            }
            catch (IOException)
            {
                return [];
            }
        }
    }

    /// <summary>Flushes and closes the file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _flushSoon?.Dispose();
            _flushSoon = null;
            FlushPending();
            _file?.Dispose();
            _file = null;
            _capture?.Dispose();
            _capture = null;
        }
    }

    private void FlushPending()
    {
        if (_file is null || _pending.Length == 0) return;
        var bytes = Utf8.GetBytes(_pending.ToString());
        _pending.Clear();
        try
        {
            RandomAccess.Write(_file, bytes, _end);
            _end += bytes.Length;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Abandon();
        }
    }

    private static void AppendOnly(SafeFileHandle file)
    {
        int fd = (int)file.DangerousGetHandle();
        int flags = LibC.fcntl(fd, LibC.F_GETFL, 0);
        if (flags < 0 || LibC.fcntl(fd, LibC.F_SETFL, flags | LibC.O_APPEND) < 0)
            throw new IOException("cannot open the log file for appending");
    }

    private void Abandon()
    {
        // a chain's outcome does not depend on its log
        _file?.Dispose();
        _file = null;
        _pending.Clear();
    }
}
