using Microsoft.Data.Sqlite;
using Steep.Core.Models;
using Steep.Persistence.Sqlite;
using Xunit;
using Xunit.Abstractions;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>The store contract against <see cref="SqliteStore"/>, plus what only a file database has to show.</summary>
public sealed class SqliteStoreTests(ITestOutputHelper output) : StoreContractTests(output)
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "steep-persist-" + Guid.NewGuid().ToString("N"));
    private readonly List<SqliteStore> _extraStores = [];

    private string DatabasePath => Path.Combine(_directory, "data", "steep.db");

    /// <inheritdoc />
    protected override object CreateStore() => new SqliteStore(DatabasePath);

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _extraStores) await store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private SqliteStore OpenAnother()
    {
        var store = new SqliteStore(DatabasePath);
        _extraStores.Add(store);
        return store;
    }

    [Fact]
    public async Task Data_survives_closing_and_reopening_the_file()
    {
        await Submissions.AddAsync(NewSubmission("s1") with { StartTime = T0 }, Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await Submissions.CommitStepAsync("s1", Step(2), NewChains("d", 2), Ct);
        await Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(1, [1, 2, 3]), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Success, Results = ResultFiles("/o") }, Ct);
        await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Status = SubmissionStatus.Running }, Ct);
        await ((SqliteStore)Submissions).DisposeAsync();

        await using var reopened = new SqliteStore(DatabasePath);
        ISubmissionStore submissions = reopened;
        IProcessChainStore chains = reopened;
        var s = (await submissions.GetAsync("s1", Ct))!;
        Assert.Equal((SubmissionStatus.Running, T0, 5, 1), (s.Status, s.StartTime, s.TotalProcessChains, s.SucceededProcessChains));
        Assert.Equal(Json(NewSubmission("s1").Workflow), Json(s.Workflow));
        Assert.Equal(["s1"], await submissions.ListUnfinishedIdsAsync(Ct));
        Assert.Equal([1, 2, 3], (await submissions.GetCheckpointAsync("s1", Ct))!.State);
        Assert.Equal([2L], (await submissions.GetStepsAsync("s1", 1, Ct)).Select(x => x.Step));
        Assert.Equal(["/o"], (await chains.GetAsync("c1", Ct))!.Chain.Results!["o"]);
        Assert.Equal(["c0", "c2", "d0", "d1"], (await chains.ListByStatusAsync(ProcessChainStatus.Registered, Ct)).Select(c => c.Chain.Id));

        // The journal continues where it was.
        await submissions.CommitStepAsync("s1", Step(3), NewChains("e", 1), Ct);
        var last = (await chains.GetAsync("e0", Ct))!;
        Assert.True(last.Sequence > (await chains.GetAsync("d1", Ct))!.Sequence);
    }

    [Fact]
    public async Task A_second_instance_on_the_same_file_sees_committed_data()
    {
        var other = OpenAnother();
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 10), Ct);
        Assert.Equal(10, (await ((ISubmissionStore)other).GetAsync("s1", Ct))!.TotalProcessChains);

        // And the other way round: both instances write.
        await ((IProcessChainStore)other).UpdateAsync(new ProcessChainUpdate("c3") { Status = ProcessChainStatus.Running }, Ct);
        await ((ISubmissionStore)other).CommitStepAsync("s1", Step(2), NewChains("d", 1), Ct);
        Assert.Equal(ProcessChainStatus.Running, (await Chains.GetAsync("c3", Ct))!.Chain.Status);
        Assert.Equal([1L, 2L], (await Submissions.GetStepsAsync("s1", 0, Ct)).Select(s => s.Step));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("s1", Step(2), [], Ct));
    }

    [Fact]
    public async Task A_failing_write_among_concurrent_ones_is_undone_alone()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        // many writers at once share transactions; the stale journal steps and the duplicate must fail on their own
        var writes = Enumerable.Range(0, 60).Select(i => Task.Run(() => i switch
        {
            0 => Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct),
            _ when i % 10 == 5 => Submissions.AddAsync(NewSubmission("s1"), Ct),
            _ => Submissions.AddAsync(NewSubmission($"n{i}"), Ct),
        })).ToList();
        var outcomes = await Task.WhenAll(writes.Select(async w =>
        {
            try { await w; return "ok"; }
            catch (InvalidOperationException) { return "conflict"; }
        }));

        Assert.Equal(6, outcomes.Count(o => o == "conflict"));
        Assert.Equal(54, outcomes.Count(o => o == "ok"));
        Assert.Equal(54, (await Submissions.ListAsync(0, 100, null, Ct)).Total);
        Assert.Equal(3, (await Chains.ListAsync(null, null, 0, 10, false, Ct)).Total);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("s1", Step(1), [], Ct));
        await Submissions.CommitStepAsync("s1", Step(2), [], Ct);
    }

    [Fact]
    public async Task Concurrent_writers_on_two_instances_do_not_fail()
    {
        const int tasks = 20, rounds = 50;
        var stores = new[] { (SqliteStore)Submissions, OpenAnother() };
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", tasks), Ct);

        await Task.WhenAll(Enumerable.Range(0, tasks).Select(t => Task.Run(async () =>
        {
            IProcessChainStore chains = stores[t % 2];
            ISubmissionStore submissions = stores[t % 2];
            for (int i = 0; i < rounds; i++)
            {
                var status = i % 2 == 0 ? ProcessChainStatus.Running : ProcessChainStatus.Registered;
                Assert.True(await chains.UpdateAsync(new ProcessChainUpdate($"c{t}") { Status = status, RunNumber = i }, Ct));
                await submissions.UpdateAsync(new SubmissionUpdate("s1") { ErrorMessage = $"task {t} round {i}" }, Ct);
                _ = await chains.CountByStatusAsync("s1", Ct);
            }
            await chains.UpdateAsync(new ProcessChainUpdate($"c{t}") { Status = ProcessChainStatus.Success }, Ct);
        })));

        var counts = await Chains.CountByStatusAsync("s1", Ct);
        Assert.Equal(new Dictionary<string, int> { [ProcessChainStatus.Success] = tasks }, counts);
        Assert.All(await Chains.ListBySubmissionAsync("s1", null, Ct), c => Assert.Equal(rounds - 1, c.RunNumber));
    }

    [Fact]
    public async Task A_commit_cancelled_midway_is_rolled_back_and_the_store_stays_usable()
    {
        const int n = 50_000;
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        using var cts = new CancellationTokenSource();
        var commit = Task.Run(() => Submissions.CommitStepAsync("s1", Step(1), NewChains("c", n, 1), cts.Token));
        await Task.Delay(20);
        await cts.CancelAsync();
        bool committed;
        try
        {
            await commit;
            committed = true; // finished before the cancellation
        }
        catch (OperationCanceledException)
        {
            committed = false;
        }

        Assert.Equal(committed ? n : 0, (await Submissions.GetAsync("s1", Ct))!.TotalProcessChains);
        Assert.Equal(committed ? 1 : 0, (await Submissions.GetStepsAsync("s1", 0, Ct)).Count);
        Assert.Equal(committed ? n : 0, (await Chains.ListAsync(null, null, 0, 1, false, Ct)).Total);
        await Submissions.CommitStepAsync("s1", Step(committed ? 2 : 1), [NewChain("after")], Ct);
        Assert.NotNull(await Chains.GetAsync("after", Ct));
    }

    [Fact]
    public async Task The_file_is_in_wal_mode_with_a_schema_version()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await using var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await raw.OpenAsync();
        Assert.Equal("wal", await Scalar(raw, "PRAGMA journal_mode"));
        Assert.Equal(7L, await Scalar(raw, "SELECT MAX(version) FROM schema_version"));
        Assert.Equal(1L, await Scalar(raw, "SELECT COUNT(*) FROM submissions"));
    }

    [Fact]
    public async Task A_page_of_one_submissions_chains_is_read_from_an_index_without_sorting_them_all()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await using var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await raw.OpenAsync();
        await using var plan = raw.CreateCommand();
        plan.CommandText = "EXPLAIN QUERY PLAN SELECT * FROM process_chains WHERE submission_id = 's1' ORDER BY seq LIMIT 50 OFFSET 0";
        var steps = new List<string>();
        await using (var reader = await plan.ExecuteReaderAsync())
            while (await reader.ReadAsync()) steps.Add(reader.GetString(3));
        Assert.Contains(steps, s => s.Contains("process_chains_submission_seq", StringComparison.Ordinal));
        Assert.DoesNotContain(steps, s => s.Contains("TEMP B-TREE", StringComparison.Ordinal));
        Assert.Equal(["c0", "c1", "c2"], (await Chains.ListAsync("s1", null, 0, 50, false, Ct)).Items.Select(c => c.Chain.Id));
    }

    [Fact]
    public async Task A_version_1_file_keeps_its_journal_position_when_upgraded()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 1), Ct);
        await Submissions.CommitStepAsync("s1", Step(2), NewChains("d", 1), Ct);
        await ((SqliteStore)Submissions).DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            // version 1 kept the journal position in the submissions row
            await raw.OpenAsync();
            await using var downgrade = raw.CreateCommand();
            downgrade.CommandText = """
                DROP TABLE process_chain_search_vocab;
                DROP TABLE process_chain_search;
                DROP INDEX process_chains_start_time;
                DROP INDEX process_chains_end_time;
                DROP TABLE process_chain_runs;
                UPDATE submissions SET last_step = 2;
                DROP TABLE submission_journal;
                ALTER TABLE submissions DROP COLUMN services;
                DROP TABLE submission_sources;
                ALTER TABLE submissions DROP COLUMN name;
                ALTER TABLE submissions DROP COLUMN priority;
                DELETE FROM schema_version WHERE version >= 2;
                """;
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var upgraded = new SqliteStore(DatabasePath);
        ISubmissionStore submissions = upgraded;
        var stale = await Assert.ThrowsAsync<InvalidOperationException>(() => submissions.CommitStepAsync("s1", Step(2), [], Ct));
        Assert.Contains("does not follow step 2", stale.Message);
        await submissions.CommitStepAsync("s1", Step(3), NewChains("e", 1), Ct);
        Assert.Equal([1L, 2L, 3L], (await submissions.GetStepsAsync("s1", 0, Ct)).Select(x => x.Step));
    }

    [Fact]
    public async Task A_version_2_file_takes_name_and_priority_from_its_workflows_when_upgraded()
    {
        var workflow = NewSubmission("s1").Workflow! with { Priority = 7 };
        await Submissions.AddAsync(NewSubmission("s1") with { Workflow = workflow, Source = "api: 4.0.0" }, Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        await ((SqliteStore)Submissions).DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            // version 2 had neither names, priorities nor sources
            await raw.OpenAsync();
            await using var downgrade = raw.CreateCommand();
            downgrade.CommandText = """
                DROP TABLE process_chain_search_vocab;
                DROP TABLE process_chain_search;
                DROP INDEX process_chains_start_time;
                DROP INDEX process_chains_end_time;
                DROP TABLE process_chain_runs;
                ALTER TABLE submissions DROP COLUMN services;
                DROP TABLE submission_sources;
                ALTER TABLE submissions DROP COLUMN name;
                ALTER TABLE submissions DROP COLUMN priority;
                DELETE FROM schema_version WHERE version >= 3;
                """;
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var upgraded = new SqliteStore(DatabasePath);
        ISubmissionStore submissions = upgraded;
        var listed = (await submissions.ListAsync(0, 10, null, Ct)).Items.ToDictionary(s => s.Id);
        Assert.Equal(("copy s1", 7), (listed["s1"].Name, listed["s1"].Priority));
        Assert.Equal(("copy s2", 0), (listed["s2"].Name, listed["s2"].Priority));
        Assert.Null((await submissions.GetAsync("s1", Ct))!.Source);
        await submissions.AddAsync(NewSubmission("s3") with { Source = "kept" }, Ct);
        Assert.Equal("kept", (await submissions.GetAsync("s3", Ct))!.Source);
    }

    [Fact]
    public async Task A_version_4_file_keeps_the_last_run_of_its_chains_and_finds_them_in_a_search_when_upgraded()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), [NewChain("c0", 1, "highmemory"), NewChain("c1", 1)], Ct);
        var start = new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Error, StartTime = start, EndTime = start.AddSeconds(1), AgentId = "a", RunNumber = 3, ErrorMessage = "disk full",
        }, Ct);
        await ((SqliteStore)Submissions).DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            // version 4 had neither runs nor a search index
            await raw.OpenAsync();
            await using var downgrade = raw.CreateCommand();
            downgrade.CommandText = """
                DROP TABLE process_chain_search_vocab;
                DROP TABLE process_chain_search;
                DROP INDEX process_chains_start_time;
                DROP INDEX process_chains_end_time;
                DROP TABLE process_chain_runs;
                DELETE FROM schema_version WHERE version >= 5;
                """;
            await downgrade.ExecuteNonQueryAsync();
        }

        await using var upgraded = new SqliteStore(DatabasePath);
        IProcessChainStore chains = upgraded;
        Assert.Equal(new ProcessChainRun(3, "a", start, start.AddSeconds(1), ProcessChainStatus.Error, "disk full"), Assert.Single(await chains.ListRunsAsync("c0", Ct)));
        Assert.Empty(await chains.ListRunsAsync("c1", Ct));
        var found = await upgraded.SearchAsync(Search.SearchQueryParser.Parse("disk highmem", TimeZoneInfo.Utc), 0, 10, Search.SearchCount.Exact, Ct);
        Assert.Equal(["c0"], found.Items.Select(h => h.Id));
        found = await upgraded.SearchAsync(Search.SearchQueryParser.Parse("is:processchain", TimeZoneInfo.Utc), 0, 10, Search.SearchCount.Exact, Ct);
        Assert.Equal(2, found.ProcessChains);
    }

    [Fact]
    public async Task A_file_from_a_newer_version_is_refused()
    {
        await ((SqliteStore)Submissions).DisposeAsync();
        await using (var raw = new SqliteConnection($"Data Source={DatabasePath};Pooling=False"))
        {
            await raw.OpenAsync();
            await Scalar(raw, "INSERT INTO schema_version (version) VALUES (999)");
        }
        var e = Assert.Throws<NotSupportedException>(() => new SqliteStore(DatabasePath));
        Assert.Contains("999", e.Message);
    }

    [Fact]
    public async Task A_connection_string_works_as_well_as_a_path()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await using var byConnectionString = new SqliteStore($"Data Source={DatabasePath}");
        Assert.NotNull(await ((ISubmissionStore)byConnectionString).GetAsync("s1", Ct));
    }

    [Fact]
    public async Task Calls_after_dispose_are_refused()
    {
        var store = (SqliteStore)Submissions;
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Submissions.AddAsync(NewSubmission("s1"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Submissions.GetAsync("s1", Ct));
    }

    private static async Task<object?> Scalar(SqliteConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteScalarAsync();
    }
}
