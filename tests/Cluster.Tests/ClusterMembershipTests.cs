using System.Diagnostics;
using Npgsql;
using Steep.Cluster.Tests.Support;
using Steep.Persistence.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// Orleans' own ADO.NET membership and reminder providers on Steep's schema: silos started as <c>steep serve</c> starts
/// them find each other through the membership table, route calls to each other, fire reminders stored in PostgreSQL and
/// see a silo leave.
/// </summary>
public sealed class ClusterMembershipTests(PostgresDatabase database, ITestOutputHelper output) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _clusterId = "test-" + Guid.NewGuid().ToString("N")[..8];

    [SkippableFact]
    public async Task Two_silos_starting_at_once_form_one_cluster_through_the_membership_table()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        // both migrate the empty database at the same moment: the advisory lock makes one wait for the other
        var started = await Task.WhenAll(Start("a"), Start("b"));
        await using var a = started[0];
        await using var b = started[1];

        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 2 && (await b.ActiveSilosAsync()).Count == 2, "both silos see two active silos");
        Assert.Equal(new[] { a.Address, b.Address }.Order(), (await a.ActiveSilosAsync()).Order());

        var rows = await MembershipRows();
        Assert.Equal(["a:Active", "b:Active"], rows);
    }

    [SkippableFact]
    public async Task A_call_made_on_one_silo_reaches_the_activation_on_the_other()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var a = await Start("a");
        await using var b = await Start("b");
        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 2, "silo a sees silo b");

        // activated on b (its first caller), then called from a
        Assert.Equal(b.Address.ToParsableString(), await b.Grains.GetGrain<IWhereGrain>("w").WhereAsync());
        Assert.Equal(b.Address.ToParsableString(), await a.Grains.GetGrain<IWhereGrain>("w").WhereAsync());
    }

    [SkippableFact]
    public async Task A_reminder_is_stored_in_postgres_and_fires()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var a = await Start("a");
        await using var b = await Start("b");
        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 2, "silo a sees silo b");

        var key = "alarm-" + Guid.NewGuid().ToString("N")[..8];
        var alarm = a.Grains.GetGrain<IAlarmGrain>(key);
        await alarm.SetAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(1, await Scalar("SELECT count(*) FROM steep.orleansreminderstable WHERE grainid LIKE '%' || @p || '%'", key));

        Assert.Equal(a.Address.ToParsableString(), await Alarms.WaitAsync(key, Patience));

        await alarm.ClearAsync();
        Assert.Equal(0, await Scalar("SELECT count(*) FROM steep.orleansreminderstable WHERE grainid LIKE '%' || @p || '%'", key));
    }

    [SkippableFact]
    public async Task A_silo_that_leaves_is_dead_in_the_table_and_its_grains_and_reminders_go_on_on_the_other()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var a = await Start("a");
        var b = await Start("b");
        await using var _ = b;
        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 2, "silo a sees silo b");

        // a grain living on b, and a reminder due after b has gone
        Assert.Equal(b.Address.ToParsableString(), await b.Grains.GetGrain<IWhereGrain>("w").WhereAsync());
        var key = "alarm-" + Guid.NewGuid().ToString("N")[..8];
        await b.Grains.GetGrain<IAlarmGrain>(key).SetAsync(TimeSpan.FromSeconds(8));

        var clock = Stopwatch.StartNew();
        await b.StopAsync();
        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 1, "silo a no longer counts silo b");
        output.WriteLine($"silo b left the view of silo a {clock.ElapsedMilliseconds} ms after its stop began");
        Assert.Equal(["a:Active", "b:Dead"], await MembershipRows());

        Assert.Equal(a.Address.ToParsableString(), await a.Grains.GetGrain<IWhereGrain>("w").WhereAsync());
        Assert.Equal(a.Address.ToParsableString(), await Alarms.WaitAsync(key, Patience));
        await a.Grains.GetGrain<IAlarmGrain>(key).ClearAsync();
    }

    private Task<TestSilo> Start(string name) => TestSilo.StartAsync(TestSilo.Settings(database.ConnectionString, _clusterId, name));

    /// <summary>The silos of this test's cluster in the membership table, as "name:status", by name.</summary>
    private async Task<List<string>> MembershipRows()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT siloname, status FROM steep.orleansmembershiptable WHERE deploymentid = @p ORDER BY siloname", connection);
        command.Parameters.AddWithValue("p", _clusterId);
        var rows = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var status = reader.GetInt32(1) switch { 3 => "Active", 6 => "Dead", var s => s.ToString() };
            rows.Add($"{reader.GetString(0)}:{status}");
        }
        return rows;
    }

    private async Task<long> Scalar(string sql, string parameter)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        command.Parameters.AddWithValue("p", parameter);
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var until = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException($"not within {Patience.TotalSeconds:0} s: {what}");
            await Task.Delay(200);
        }
    }
}
