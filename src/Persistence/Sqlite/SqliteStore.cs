using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;

namespace Steep.Persistence.Sqlite;

/// <summary>Both stores in one SQLite file (the embedded default): WAL mode, one writer connection, pooled readers.</summary>
/// <remarks>
/// Durability: every method commits before its task completes. The journal is in WAL mode with
/// <c>synchronous=NORMAL</c>: a committed transaction survives a crash or kill of the process (it is in the WAL file,
/// which the OS writes out), but the last transactions before a power loss or OS crash may be lost; the file stays
/// consistent either way. That is the promise of the embedded mode (resume after the process dies); FULL would add an
/// fsync to every commit.
/// Concurrency: writes of this instance are serialized through one connection with prepared statements; several
/// instances (or processes) on the same file wait for each other through SQLite's lock and the busy timeout. Reads
/// use their own connections and see the last committed state (multi-statement reads in one snapshot).
/// </remarks>
public sealed partial class SqliteStore : ISubmissionStore, IProcessChainStore, IAsyncDisposable, IDisposable
{
    private const int BusyTimeoutMilliseconds = 30_000;
    private const int MaxIdleReaders = 8;
    private const int SqliteConstraint = 19;

    private readonly string _connectionString;
    private readonly SqliteConnection _writer;
    private readonly WriterStatements _statements;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly ConcurrentBag<SqliteConnection> _idleReaders = [];
    private int _disposed;

    /// <summary>Opens (creating when missing) the database and brings its schema up to date.</summary>
    /// <param name="pathOrConnectionString">A file path (its directory is created when missing), or a
    /// Microsoft.Data.Sqlite connection string when it contains '='.</param>
    public SqliteStore(string pathOrConnectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathOrConnectionString);
        _connectionString = BuildConnectionString(pathOrConnectionString);
        _writer = Open(writer: true);
        try
        {
            SqliteSchema.Migrate(_writer);
            _statements = new WriterStatements(_writer);
        }
        catch
        {
            _writer.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            await FlushQueueAsync().ConfigureAwait(false);
            CloseAll();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _writeLock.Wait();
        try
        {
            // the writes run synchronously (SQLite has no asynchronous I/O): nothing here waits for another thread
            FlushQueueAsync().GetAwaiter().GetResult();
            CloseAll();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private void CloseAll()
    {
        _statements.Dispose();
        using (var optimize = _writer.CreateCommand())
        {
            // Cheap when nothing is to do; keeps the query planner's statistics current for the next start.
            optimize.CommandText = "PRAGMA optimize";
            optimize.ExecuteNonQuery();
        }
        _writer.Dispose();
        DrainReaders();
    }

    private static string BuildConnectionString(string pathOrConnectionString)
    {
        var builder = pathOrConnectionString.Contains('=')
            ? new SqliteConnectionStringBuilder(pathOrConnectionString)
            : new SqliteConnectionStringBuilder { DataSource = Path.GetFullPath(pathOrConnectionString) };
        // The store keeps its own connections; the provider's pool would keep the file open after Dispose.
        builder.Pooling = false;
        builder.ForeignKeys = true;
        // The provider retries SQLITE_BUSY/LOCKED on its own until the command timeout; keep it as long as SQLite's.
        builder.DefaultTimeout = BusyTimeoutMilliseconds / 1000;
        if (builder.Mode != SqliteOpenMode.Memory && builder.DataSource is { Length: > 0 } file && file != ":memory:")
        {
            var directory = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);
        }
        return builder.ToString();
    }

    private SqliteConnection Open(bool writer)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragmas = connection.CreateCommand();
            // The busy timeout lets SQLite itself wait for another connection's write lock (other instances, readers
            // during a checkpoint) instead of failing with "database is locked". The WAL is checkpointed every 8,192
            // pages (32 MiB) instead of SQLite's 1,000: a checkpoint runs in the committing writer and ends with an
            // fsync, and the same hot pages (counts, index leaves) rewritten by thousands of chains are copied back once
            // instead of many times (10,000 short chains: 57 fsyncs instead of about 390).
            pragmas.CommandText = writer
                ? $"""
                   PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
                   PRAGMA journal_mode = WAL;
                   PRAGMA synchronous = NORMAL;
                   PRAGMA journal_size_limit = 67108864;
                   PRAGMA wal_autocheckpoint = 8192;
                   PRAGMA cache_size = -32768;
                   PRAGMA temp_store = MEMORY;
                   """
                : $"""
                   PRAGMA busy_timeout = {BusyTimeoutMilliseconds};
                   PRAGMA query_only = ON;
                   """;
            pragmas.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    private async Task<T> ReadAsync<T>(Func<SqliteConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        ThrowIfDisposed();
        ct.ThrowIfCancellationRequested();
        var connection = _idleReaders.TryTake(out var idle) ? idle : Open(writer: false);
        bool healthy = false;
        try
        {
            var result = await read(connection, ct).ConfigureAwait(false);
            healthy = true;
            return result;
        }
        finally
        {
            if (healthy) ReturnReader(connection);
            else connection.Dispose();
        }
    }

    private void ReturnReader(SqliteConnection connection)
    {
        if (Volatile.Read(ref _disposed) != 0 || _idleReaders.Count >= MaxIdleReaders)
        {
            connection.Dispose();
            return;
        }
        _idleReaders.Add(connection);
        // Dispose may have drained the bag between the check and the Add.
        if (Volatile.Read(ref _disposed) != 0) DrainReaders();
    }

    private void DrainReaders()
    {
        while (_idleReaders.TryTake(out var connection)) connection.Dispose();
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? tx, string sql, params ReadOnlySpan<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        return command;
    }
}
