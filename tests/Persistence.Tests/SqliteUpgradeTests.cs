using System.Globalization;
using Microsoft.Data.Sqlite;
using Steep.Core.Models;
using Steep.Persistence.Search;
using Steep.Persistence.Sqlite;
using Xunit;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>
/// Database files that an older version of Steep left with data (its migrations only, its rows written as its store
/// wrote them) are upgraded by the current store on open: what they hold answers as before and new work counts on top;
/// two stores opening an old file at once upgrade it once.
/// </summary>
public sealed class SqliteUpgradeTests : IDisposable
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "steep-upgrade-" + Guid.NewGuid().ToString("N"));

    public SqliteUpgradeTests() => Directory.CreateDirectory(_directory);

    private string DatabasePath => Path.Combine(_directory, "steep.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    public static TheoryData<int> OldVersions()
    {
        var versions = new TheoryData<int>();
        for (int v = 1; v < SqliteSchema.CurrentVersion; v++) versions.Add(v);
        return versions;
    }

    [Theory]
    [MemberData(nameof(OldVersions))]
    public async Task A_file_with_data_from_an_older_version_answers_as_before_after_the_upgrade(int version)
    {
        await CreateOldFileAsync(version);

        await using var store = new SqliteStore(DatabasePath);
        Assert.Equal(Enumerable.Range(1, SqliteSchema.CurrentVersion), await VersionsAsync());
        await AssertOldDataAsync(store);

        ISubmissionStore submissions = store;
        IProcessChainStore chains = store;
        Assert.True(await chains.UpdateAsync(new ProcessChainUpdate("c2") { Status = ProcessChainStatus.Running, StartTime = Start, AgentId = "a2", RunNumber = 1 }, Ct));
        await submissions.CommitStepAsync("s1", Step(2), NewChains("d", 2), Ct);
        Assert.Equal(new Dictionary<string, int>
        {
            [ProcessChainStatus.Registered] = 2, [ProcessChainStatus.Running] = 1, [ProcessChainStatus.Success] = 1, [ProcessChainStatus.Error] = 1,
        }, await chains.CountByStatusAsync("s1", Ct));
        Assert.Equal(5, (await submissions.GetAsync("s1", Ct))!.TotalProcessChains);
        var found = await store.SearchAsync(SearchQueryParser.Parse("is:processchain", TimeZoneInfo.Utc), 0, 10, SearchCount.Exact, Ct);
        Assert.Equal(5, found.ProcessChains);
    }

    [Fact]
    public async Task Two_stores_opening_a_file_of_the_previous_version_at_once_upgrade_it_once()
    {
        await CreateOldFileAsync(SqliteSchema.CurrentVersion - 1);

        using var go = new ManualResetEventSlim();
        var opening = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            go.Wait();
            return new SqliteStore(DatabasePath);
        })).ToList();
        go.Set();
        var stores = await Task.WhenAll(opening);
        try
        {
            Assert.Equal(Enumerable.Range(1, SqliteSchema.CurrentVersion), await VersionsAsync());
            foreach (var store in stores) await AssertOldDataAsync(store);
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    private static async Task AssertOldDataAsync(SqliteStore store)
    {
        ISubmissionStore submissions = store;
        IProcessChainStore chains = store;
        var listed = Assert.Single((await submissions.ListAsync(0, 10, null, Ct)).Items);
        Assert.Equal(("s1", "copy s1", 7, 3, SubmissionStatus.Running), (listed.Id, listed.Name, listed.Priority, listed.TotalProcessChains, listed.Status));
        Assert.Equal(Json(OldWorkflow()), Json((await submissions.GetAsync("s1", Ct))!.Workflow));
        Assert.Equal(new Dictionary<string, int>
        {
            [ProcessChainStatus.Registered] = 1, [ProcessChainStatus.Success] = 1, [ProcessChainStatus.Error] = 1,
        }, await chains.CountByStatusAsync("s1", Ct));
        var c0 = (await chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Error, "disk full", "a1", 1), (c0.Chain.Status, c0.Chain.ErrorMessage, c0.AgentId, c0.RunNumber));
        Assert.Equal(new ProcessChainRun(1, "a1", Start, Start.AddSeconds(1), ProcessChainStatus.Error, "disk full"),
            Assert.Single(await chains.ListRunsAsync("c0", Ct)));
        Assert.Empty(await chains.ListRunsAsync("c2", Ct));
        var found = await store.SearchAsync(SearchQueryParser.Parse("disk highmem", TimeZoneInfo.Utc), 0, 10, SearchCount.Exact, Ct);
        Assert.Equal(["c0"], found.Items.Select(h => h.Id));
        found = await store.SearchAsync(SearchQueryParser.Parse("is:workflow copy", TimeZoneInfo.Utc), 0, 10, SearchCount.Exact, Ct);
        Assert.Equal([("s1", "copy s1")], found.Items.Select(h => (h.Id, h.Name!)));
        var stale = await Assert.ThrowsAsync<InvalidOperationException>(() => submissions.CommitStepAsync("s1", Step(1), [], Ct));
        Assert.Contains("does not follow step 1", stale.Message);
    }

    /// <summary>The file as a store of schema <paramref name="version"/> left it: its migrations, then its rows.</summary>
    private async Task CreateOldFileAsync(int version)
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        SqliteSchema.Migrate(connection, version);
        Assert.Equal(Enumerable.Range(1, version), await VersionsAsync());
        bool journal = version >= 2, named = version >= 3, runs = version >= 5, search = version >= 6;

        var workflow = OldWorkflow();
        await ExecuteAsync(connection, named
            ? "INSERT INTO submissions (id, status, start_time, required_capabilities, workflow, last_step, name, priority) VALUES ('s1', 'RUNNING', $t, '[]', $w, $l, $n, $p)"
            : "INSERT INTO submissions (id, status, start_time, required_capabilities, workflow, last_step) VALUES ('s1', 'RUNNING', $t, '[]', $w, $l)",
            ("$t", T0.ToString("O", CultureInfo.InvariantCulture)), ("$w", Json(workflow)), ("$l", journal ? 0 : 1), ("$n", workflow.Name!), ("$p", workflow.Priority!));
        if (journal) await ExecuteAsync(connection, "INSERT INTO submission_journal (submission_id, last_step) VALUES ('s1', 1)");
        await ExecuteAsync(connection, "INSERT INTO generator_steps (submission_id, step, input) VALUES ('s1', 1, $i)", ("$i", Step(1).Input));
        foreach (var chain in new[] { NewChain("c0", 1, "highmemory"), NewChain("c1", 1), NewChain("c2", 1) })
        {
            await ExecuteAsync(connection,
                "INSERT INTO process_chains (id, submission_id, status, priority, required_capabilities, executables) VALUES ($id, 's1', 'REGISTERED', 0, $c, $e)",
                ("$id", chain.Id), ("$c", Json(chain.RequiredCapabilities)), ("$e", Json(chain.Executables)));
            if (search)
            {
                await ExecuteAsync(connection, "INSERT INTO process_chain_search (rowid, id, required_capabilities) VALUES (last_insert_rowid(), $id, $c)",
                    ("$id", chain.Id), ("$c", string.Join(' ', chain.RequiredCapabilities)));
            }
        }
        await ExecuteAsync(connection, "INSERT INTO process_chain_counts (submission_id, status, n) VALUES ('s1', 'REGISTERED', 3)");
        foreach (var (id, final, error) in new[] { ("c0", ProcessChainStatus.Error, "disk full"), ("c1", ProcessChainStatus.Success, (string?)null) })
        {
            // each status change its own UPDATE, counted by the trigger
            await ExecuteAsync(connection, "UPDATE process_chains SET status = 'RUNNING', start_time = $t, agent_id = 'a1', run_number = 1 WHERE id = $id",
                ("$id", id), ("$t", Start.ToString("O", CultureInfo.InvariantCulture)));
            await ExecuteAsync(connection, "UPDATE process_chains SET status = $s, end_time = $t, error_message = $e WHERE id = $id",
                ("$id", id), ("$s", final), ("$t", Start.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture)), ("$e", (object?)error ?? DBNull.Value));
            if (runs)
            {
                await ExecuteAsync(connection, """
                    INSERT INTO process_chain_runs (chain_id, run_number, agent_id, start_time, end_time, status, error_message)
                    VALUES ($id, 1, 'a1', $start, $end, $s, $e)
                    """, ("$id", id), ("$start", Start.ToString("O", CultureInfo.InvariantCulture)),
                    ("$end", Start.AddSeconds(1).ToString("O", CultureInfo.InvariantCulture)), ("$s", final), ("$e", (object?)error ?? DBNull.Value));
            }
            if (search && error is not null)
            {
                await ExecuteAsync(connection, "UPDATE process_chain_search SET error_message = $e WHERE id = $id", ("$id", id), ("$e", error));
            }
        }
    }

    private static Workflow OldWorkflow() => NewSubmission("s1").Workflow! with { Priority = 7 };

    private async Task<IEnumerable<int>> VersionsAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM schema_version ORDER BY version";
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct)) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            if (sql.Contains(name, StringComparison.Ordinal)) command.Parameters.AddWithValue(name, value);
        }
        await command.ExecuteNonQueryAsync(Ct);
    }
}
