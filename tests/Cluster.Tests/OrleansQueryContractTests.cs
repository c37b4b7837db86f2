using System.Data;
using Npgsql;
using Steep.Persistence.Postgres;
using Steep.Persistence.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// The stored queries' answers where the providers' correctness depends on them and a running cluster rarely shows it:
/// a stale table version changes nothing and says no; the defunct-silo clean-up removes only what it was shown. Each
/// query is run from the OrleansQuery table, with parameters as the providers bind them.
/// </summary>
public sealed class OrleansQueryContractTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>, IAsyncLifetime
{
    private const int Active = 3;
    private const int Dead = 6;
    private readonly string _cluster = "contract-" + Guid.NewGuid().ToString("N")[..8];
    private NpgsqlDataSource? _source;
    private Dictionary<string, string> _queries = [];

    public async Task InitializeAsync()
    {
        if (PostgresServer.Skipped) return;
        await (await PostgresStore.OpenAsync(database.ConnectionString)).DisposeAsync();
        _source = NpgsqlDataSource.Create(PostgresStore.OrleansConnectionString(database.ConnectionString));
        await using var command = _source.CreateCommand("SELECT QueryKey, QueryText FROM OrleansQuery");
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) _queries[reader.GetString(0)] = reader.GetString(1);
    }

    public async Task DisposeAsync()
    {
        if (_source is not null) await _source.DisposeAsync();
    }

    [SkippableFact]
    public async Task Every_query_key_of_the_two_providers_is_stored()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        string[] keys =
        [
            "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey", "UpdateIAmAlivetimeKey",
            "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey", "CleanupDefunctSiloEntriesKey",
            "CleanupDefunctSiloEntryKey", "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey",
            "UpsertReminderRowKey", "DeleteReminderRowKey", "DeleteReminderRowsKey",
        ];
        Assert.Equal(keys.Order(), _queries.Keys.Order());
    }

    [SkippableFact]
    public async Task A_write_with_a_stale_table_version_changes_nothing_and_says_no()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        Assert.Equal(1, await Answer("InsertMembershipVersionKey", ("DeploymentId", _cluster)));
        Assert.Equal(0, await Answer("InsertMembershipVersionKey", ("DeploymentId", _cluster)));

        Assert.Equal(1, await Answer("InsertMembershipKey", Silo(1, Active, version: 0)));
        // another silo read version 0 too, before the first insert
        Assert.Equal(0, await Answer("InsertMembershipKey", Silo(2, Active, version: 0)));
        Assert.Equal(0, await Answer("UpdateMembershipKey", Silo(1, Dead, version: 0)));
        Assert.Equal([(1, Active)], await Silos());
        Assert.Equal(1, await Version());

        Assert.Equal(1, await Answer("UpdateMembershipKey", Silo(1, Dead, version: 1)));
        Assert.Equal(1, await Answer("InsertMembershipKey", Silo(2, Active, version: 2)));
        // the same silo twice is refused, and the version stays
        Assert.Equal(0, await Answer("InsertMembershipKey", Silo(2, Active, version: 3)));
        Assert.Equal([(1, Dead), (2, Active)], await Silos());
        Assert.Equal(3, await Version());
    }

    [SkippableFact]
    public async Task Concurrent_writers_with_the_same_version_let_exactly_one_through()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await Answer("InsertMembershipVersionKey", ("DeploymentId", _cluster));
        var answers = await Task.WhenAll(Enumerable.Range(1, 8).Select(g => Answer("InsertMembershipKey", Silo(g, Active, version: 0))));
        Assert.Equal(1, answers.Sum());
        Assert.Single(await Silos());
        Assert.Equal(1, await Version());
    }

    [SkippableFact]
    public async Task The_defunct_silo_clean_up_removes_a_dead_silo_only_as_it_was_read()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await Answer("InsertMembershipVersionKey", ("DeploymentId", _cluster));
        await Answer("InsertMembershipKey", Silo(1, Active, version: 0));
        await Answer("UpdateMembershipKey", Silo(1, Dead, version: 1));
        var (start, alive) = await Times(1);

        // bound as the provider binds them (DbType.DateTime), with a heartbeat that is not the stored one: kept
        Assert.Equal(0, await Execute("CleanupDefunctSiloEntryKey", Row(1, start, alive.AddMilliseconds(1))));
        Assert.Single(await Silos());
        Assert.Equal(1, await Execute("CleanupDefunctSiloEntryKey", Row(1, start, alive)));
        Assert.Empty(await Silos());
    }

    private (string, object?)[] Silo(int generation, int status, int version) =>
    [
        ("DeploymentId", _cluster), ("Address", "127.0.0.1"), ("Port", 11111), ("Generation", generation),
        ("SiloName", $"silo-{generation}"), ("HostName", "host"), ("Status", status), ("ProxyPort", 30000),
        ("SuspectTimes", null), ("StartTime", new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)),
        ("IAmAliveTime", new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc)), ("Version", version),
    ];

    private (string, object?)[] Row(int generation, DateTime start, DateTime alive) =>
    [
        ("DeploymentId", _cluster), ("Address", "127.0.0.1"), ("Port", 11111), ("Generation", generation), ("SuspectTimes", null),
        ("StartTime", start), ("IAmAliveTime", alive),
    ];

    private async Task<int> Answer(string key, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(key, parameters);
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }

    private async Task<int> Execute(string key, params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(key, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private NpgsqlCommand Command(string key, (string Name, object? Value)[] parameters)
    {
        var command = _source!.CreateCommand(_queries[key]);
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            if (name == "Address") p.DbType = DbType.AnsiString;
            if (value is DateTime && key.StartsWith("CleanupDefunct", StringComparison.Ordinal)) p.DbType = DbType.DateTime;
            command.Parameters.Add(p);
        }
        return command;
    }

    private async Task<List<(int Generation, int Status)>> Silos()
    {
        await using var command = Command("MembershipReadAllKey", [("DeploymentId", _cluster)]);
        await using var reader = await command.ExecuteReaderAsync();
        var silos = new List<(int, int)>();
        while (await reader.ReadAsync())
            if (!reader.IsDBNull(reader.GetOrdinal("Generation")))
                silos.Add((reader.GetInt32(reader.GetOrdinal("Generation")), reader.GetInt32(reader.GetOrdinal("Status"))));
        return silos.Order().ToList();
    }

    private async Task<int> Version()
    {
        await using var command = Command("MembershipReadAllKey", [("DeploymentId", _cluster)]);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return reader.GetInt32(reader.GetOrdinal("Version"));
    }

    private async Task<(DateTime Start, DateTime Alive)> Times(int generation)
    {
        await using var command = Command("MembershipReadRowKey",
            [("DeploymentId", _cluster), ("Address", "127.0.0.1"), ("Port", 11111), ("Generation", generation)]);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetDateTime(reader.GetOrdinal("StartTime")), reader.GetDateTime(reader.GetOrdinal("IAmAliveTime")));
    }
}
