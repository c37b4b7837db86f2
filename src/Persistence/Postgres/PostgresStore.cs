using Npgsql;

namespace Steep.Persistence.Postgres;

/// <summary>
/// Both stores in a PostgreSQL database, in a schema of their own (default <c>steep</c>): the registry for a cluster
/// of silos, where several processes read and write the same data.
/// </summary>
/// <remarks>
/// Durability: every method commits before its task completes, with the server's <c>synchronous_commit</c> setting.
/// Concurrency: each call takes a pooled connection of one <see cref="NpgsqlDataSource"/>; statements are prepared
/// automatically on each physical connection after their second use. A call is one statement or one batch in one
/// round trip where it can be (an update, a listing with its total); a generator step is one transaction: the journal
/// advance, the chains (COPY BINARY for a large step) and the count, then the commit. Several processes may use the
/// same schema at once; the journal row of a submission serializes the commits of its steps.
/// </remarks>
public sealed partial class PostgresStore : ISubmissionStore, IProcessChainStore, IAsyncDisposable
{
    /// <summary>The schema the registry lives in when none is given.</summary>
    public const string DefaultSchema = "steep";

    private const int MaxAutoPrepare = 64;
    private const int MaxAttempts = 5;
    private const string UniqueViolation = "23505";
    private const string ForeignKeyViolation = "23503";
    private const string DeadlockDetected = "40P01";
    private const string SerializationFailure = "40001";

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresRetry _retry;
    private int _disposed;

    private PostgresStore(NpgsqlDataSource dataSource, string schema, PostgresRetry retry)
    {
        _dataSource = dataSource;
        Schema = schema;
        _retry = retry;
    }

    /// <summary>The PostgreSQL schema holding the registry's tables.</summary>
    public string Schema { get; }

    /// <summary>Connects, creates the schema and its tables when missing and brings them up to date.</summary>
    /// <param name="connectionString">An Npgsql connection string (host, port, database, user, ...).</param>
    /// <param name="schema">The PostgreSQL schema of the registry: lower-case letters, digits and '_'.</param>
    /// <param name="ct">Cancels the connection and the migration.</param>
    /// <param name="retry">How long calls wait for a database that is unreachable for a while (<see cref="PostgresRetry.Default"/> when null).</param>
    /// <exception cref="NotSupportedException">The schema was written by a newer version.</exception>
    public static async Task<PostgresStore> OpenAsync(string connectionString, string schema = DefaultSchema, CancellationToken ct = default,
        PostgresRetry? retry = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        PostgresSchema.Quote(schema); // validates before anything connects
        var builder = new NpgsqlConnectionStringBuilder(connectionString)
        {
            // Unqualified names in the store's statements are the registry's tables; the Orleans tables may live in
            // another schema of the same database.
            SearchPath = schema,
        };
        // Automatic preparation: the store's statements are few and fixed, so each is parsed and planned once per
        // physical connection. A connection string that sets its own value keeps it.
        if (builder.MaxAutoPrepare == 0) builder.MaxAutoPrepare = MaxAutoPrepare;
        // The store changes no session state (the search path is a startup parameter), so a connection going back to
        // the pool needs no reset statements sent before its next command.
        builder.NoResetOnClose = true;
        var dataSource = new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
        try
        {
            await using (var connection = await dataSource.OpenConnectionAsync(ct).ConfigureAwait(false))
            {
                await PostgresSchema.MigrateAsync(connection, schema, ct).ConfigureAwait(false);
            }
            return new PostgresStore(dataSource, schema, retry ?? PostgresRetry.Default);
        }
        catch
        {
            await dataSource.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// The connection string for Orleans' ADO.NET clustering and reminder providers (invariant <c>Npgsql</c>): the given
    /// one with <paramref name="schema"/> as search path, where <see cref="OpenAsync"/> created their tables and stored
    /// queries.
    /// </summary>
    public static string OrleansConnectionString(string connectionString, string schema = DefaultSchema)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        PostgresSchema.Quote(schema);
        return new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
    }

    /// <summary>The schema version this code writes.</summary>
    public static int SchemaVersion => PostgresSchema.CurrentVersion;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        await _dataSource.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a read on a pooled connection (again on another while the database is unreachable, see <see cref="PostgresRetry"/>).</summary>
    private Task<T> ReadAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> read, CancellationToken ct)
    {
        ThrowIfDisposed();
        ct.ThrowIfCancellationRequested();
        return _retry.RunAsync(async _ =>
        {
            await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
            return await read(connection, ct).ConfigureAwait(false);
        }, TimeProvider.System, ct);
    }

    /// <inheritdoc cref="WriteAsync{T}(Func{NpgsqlConnection, bool, CancellationToken, Task{T}}, CancellationToken)"/>
    private Task<T> WriteAsync<T>(Func<NpgsqlConnection, CancellationToken, Task<T>> write, CancellationToken ct) =>
        WriteAsync((connection, _, token) => write(connection, token), ct);

    /// <summary>
    /// Runs a write on a pooled connection. <paramref name="write"/> makes all its changes in one transaction (one
    /// statement, an implicit batch transaction or its own); a deadlock or serialization failure, which the server
    /// resolves by aborting one of the transactions, is retried, as the aborted transaction changed nothing. So is a
    /// write that lost the database (<see cref="PostgresRetry"/>), which <paramref name="write"/> is told (its second
    /// argument), as the lost attempt may have been applied.
    /// </summary>
    private Task<T> WriteAsync<T>(Func<NpgsqlConnection, bool, CancellationToken, Task<T>> write, CancellationToken ct)
    {
        ThrowIfDisposed();
        ct.ThrowIfCancellationRequested();
        return _retry.RunAsync(retried => WriteOnceAsync(write, retried, ct), TimeProvider.System, ct);
    }

    private async Task<T> WriteOnceAsync<T>(Func<NpgsqlConnection, bool, CancellationToken, Task<T>> write, bool retried, CancellationToken ct)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = await _dataSource.OpenConnectionAsync(ct).ConfigureAwait(false);
                return await write(connection, retried, ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is DeadlockDetected or SerializationFailure && attempt < MaxAttempts)
            {
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct).ConfigureAwait(false);
            }
            catch (PostgresException e) when (e.SqlState is UniqueViolation or ForeignKeyViolation)
            {
                throw new InvalidOperationException($"The change conflicts with stored data: {e.MessageText}", e);
            }
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    private static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var p in parameters) command.Parameters.Add(p);
        return command;
    }

    private static NpgsqlBatchCommand BatchCommand(string sql, params ReadOnlySpan<NpgsqlParameter> parameters)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var p in parameters) command.Parameters.Add(p);
        return command;
    }
}
