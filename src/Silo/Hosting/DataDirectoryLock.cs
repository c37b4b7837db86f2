using System.Globalization;

namespace Steep.Silo.Hosting;

/// <summary>
/// Keeps a data directory to one steep process at a time: a second one would take the first one's RUNNING chains for
/// orphans and run them again, alongside. The lock is the operating system's (flock on <c>steep.lock</c>), so it
/// ends with the process however the process ends, and a crashed run can be resumed at once.
/// </summary>
internal sealed class DataDirectoryLock : IDisposable
{
    private const string FileName = "steep.lock";
    private const string HolderFileName = "steep.pid"; // beside the lock: reading the locked file would need the lock
    private const int AcquireAttempts = 5;
    private static readonly TimeSpan AcquireRetryDelay = TimeSpan.FromMilliseconds(40);
    private readonly FileStream _file;

    private DataDirectoryLock(FileStream file) => _file = file;

    /// <summary>Takes the lock of <paramref name="dataDirectory"/> (created when missing) or throws <see cref="DataDirectoryInUseException"/>.</summary>
    public static DataDirectoryLock Acquire(string dataDirectory)
    {
        Directory.CreateDirectory(dataDirectory);
        var path = Path.Combine(dataDirectory, FileName);
        FileStream file;
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                // FileShare.None is an exclusive, non-blocking flock on Unix (a share lock on Windows)
                file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, bufferSize: 0);
                break;
            }
            catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException)
            {
                // a moment's probe (steep status) holds it briefly; a running steep holds it for good
                if (attempt == AcquireAttempts) throw new DataDirectoryInUseException(dataDirectory, HolderOf(dataDirectory));
                Thread.Sleep(AcquireRetryDelay);
            }
        }
        try
        {
            // the holder's process id, for the message the next one gets
            File.WriteAllText(Path.Combine(dataDirectory, HolderFileName), Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n");
            return new DataDirectoryLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>The process holding the lock of <paramref name="dataDirectory"/>, or null when none does.</summary>
    public static int? HolderIfLocked(string dataDirectory)
    {
        var path = Path.Combine(dataDirectory, FileName);
        if (!File.Exists(path)) return null;
        try
        {
            using var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.None, bufferSize: 0);
            return null;
        }
        catch (IOException)
        {
            return HolderOf(dataDirectory) ?? -1;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Releases the lock.</summary>
    public void Dispose() => _file.Dispose();

    private static int? HolderOf(string dataDirectory)
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(dataDirectory, HolderFileName)).Trim();
            return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int pid) ? pid : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
