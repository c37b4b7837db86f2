using Xunit;

namespace Steep.Persistence.Tests;

/// <summary>A fresh database on the test run's <see cref="PostgresServer"/> for one test class, dropped after it.</summary>
/// <remarks>Each test then opens its store in a schema of its own, which is cheaper than a database per test.</remarks>
public sealed class PostgresDatabase : IAsyncLifetime
{
    private readonly string _name = "steep_test_" + Guid.NewGuid().ToString("N")[..12];
    private PostgresServer? _server;
    private string? _connectionString;

    /// <summary>A connection string for the database.</summary>
    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("The database was not created.");

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        if (PostgresServer.Skipped) return;
        _server = await PostgresServer.GetAsync();
        _connectionString = await _server.CreateDatabaseAsync(_name);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_connectionString is not null) await _server!.DropDatabaseAsync(_name);
    }
}
