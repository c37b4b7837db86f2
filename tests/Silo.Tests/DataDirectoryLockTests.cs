using Steep.Silo.Hosting;

namespace Steep.Silo.Tests;

/// <summary>One steep process per data directory: a second one would run the first one's chains again.</summary>
public sealed class DataDirectoryLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "steep-lock-" + Guid.NewGuid().ToString("N")[..8]);

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void A_held_directory_is_refused_with_the_holder_named_and_free_again_once_released()
    {
        using (DataDirectoryLock.Acquire(_dir))
        {
            var e = Assert.Throws<DataDirectoryInUseException>(() => DataDirectoryLock.Acquire(_dir));
            Assert.Equal(Environment.ProcessId, e.Holder);
            Assert.Contains(_dir, e.Message);
            Assert.Contains($"process {Environment.ProcessId}", e.Message);
            Assert.Equal(Environment.ProcessId, DataDirectoryLock.HolderIfLocked(_dir));
        }

        Assert.Null(DataDirectoryLock.HolderIfLocked(_dir));
        using var again = DataDirectoryLock.Acquire(_dir);
    }

    [Fact]
    public void A_missing_directory_is_created_and_a_never_used_one_is_free()
    {
        Assert.Null(DataDirectoryLock.HolderIfLocked(_dir));
        using var held = DataDirectoryLock.Acquire(Path.Combine(_dir, "new"));
        Assert.True(Directory.Exists(Path.Combine(_dir, "new")));
    }
}
