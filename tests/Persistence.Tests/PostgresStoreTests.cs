using Npgsql;
using Steep.Core.Models;
using Steep.Persistence.Postgres;
using Xunit;
using Xunit.Abstractions;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>The store contract against <see cref="PostgresStore"/> on a real server, plus migrations and several instances.</summary>
public sealed class PostgresStoreTests(ITestOutputHelper output, PostgresDatabase database)
    : StoreContractTests(output), IClassFixture<PostgresDatabase>
{
    // every test has its own schema in the class's database: an empty registry without a database per test
    private readonly string _schema = "t_" + Guid.NewGuid().ToString("N");
    private readonly List<PostgresStore> _extraStores = [];

    /// <inheritdoc />
    protected override object CreateStore() => throw new NotSupportedException("The store opens asynchronously.");

    /// <inheritdoc />
    protected override async Task<object> CreateStoreAsync()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        return await PostgresStore.OpenAsync(database.ConnectionString, _schema, Ct);
    }

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        foreach (var store in _extraStores) await store.DisposeAsync();
    }

    private async Task<PostgresStore> OpenAnotherAsync(string? schema = null)
    {
        var store = await PostgresStore.OpenAsync(database.ConnectionString, schema ?? _schema, Ct);
        _extraStores.Add(store);
        return store;
    }

    [SkippableFact]
    public async Task Several_stores_opened_at_once_on_an_empty_schema_migrate_it_once()
    {
        var schema = "c_" + Guid.NewGuid().ToString("N");
        var stores = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() => OpenAnotherAsync(schema))));

        Assert.Equal(Enumerable.Range(1, PostgresStore.SchemaVersion), await Versions(schema));
        // all of them work on the same tables
        await ((ISubmissionStore)stores[0]).AddAsync(NewSubmission("s1"), Ct);
        await ((ISubmissionStore)stores[7]).CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        Assert.Equal(3, (await ((ISubmissionStore)stores[3]).GetAsync("s1", Ct))!.TotalProcessChains);
        // opening again changes nothing
        await OpenAnotherAsync(schema);
        Assert.Equal(Enumerable.Range(1, PostgresStore.SchemaVersion), await Versions(schema));
    }

    [SkippableFact]
    public async Task A_schema_from_a_newer_version_is_refused()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Execute($"INSERT INTO \"{_schema}\".schema_version (version) VALUES (999)");
        var e = await Assert.ThrowsAsync<NotSupportedException>(() => PostgresStore.OpenAsync(database.ConnectionString, _schema, Ct));
        Assert.Contains("999", e.Message);
        Assert.Contains(_schema, e.Message);
    }

    [SkippableFact]
    public async Task The_schema_has_the_current_version_and_the_registry_tables()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        Assert.Equal(Enumerable.Range(1, PostgresStore.SchemaVersion), await Versions(_schema));
        Assert.Equal(1L, await Scalar($"SELECT COUNT(*) FROM \"{_schema}\".submissions"));
        Assert.Equal(0L, await Scalar($"SELECT COUNT(*) FROM \"{_schema}\".process_chains"));
    }

    [SkippableFact]
    public async Task Registries_in_two_schemas_of_one_database_are_separate()
    {
        var other = await OpenAnotherAsync("t_" + Guid.NewGuid().ToString("N"));
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        await ((ISubmissionStore)other).AddAsync(NewSubmission("s1"), Ct);

        Assert.Equal(0, (await ((ISubmissionStore)other).GetAsync("s1", Ct))!.TotalProcessChains);
        Assert.Empty(await ((IProcessChainStore)other).CountByStatusAsync(null, Ct));
        Assert.Equal(2, (await Chains.CountByStatusAsync(null, Ct))[ProcessChainStatus.Registered]);
    }

    [SkippableFact]
    public async Task A_schema_name_that_is_not_a_plain_name_is_rejected()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresStore.OpenAsync(database.ConnectionString, "steep\"; DROP SCHEMA x; --", Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresStore.OpenAsync(database.ConnectionString, "Steep", Ct));
    }

    [SkippableFact]
    public async Task Data_survives_closing_and_reopening_the_store()
    {
        await Submissions.AddAsync(NewSubmission("s1") with { StartTime = T0 }, Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await Submissions.CommitStepAsync("s1", Step(2), NewChains("d", 20), Ct); // the COPY path
        await Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(1, [1, 2, 3]), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Success, Results = ResultFiles("/o") }, Ct);
        await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Status = SubmissionStatus.Running }, Ct);
        await ((PostgresStore)Submissions).DisposeAsync();

        await using var reopened = await PostgresStore.OpenAsync(database.ConnectionString, _schema, Ct);
        ISubmissionStore submissions = reopened;
        IProcessChainStore chains = reopened;
        var s = (await submissions.GetAsync("s1", Ct))!;
        Assert.Equal((SubmissionStatus.Running, T0, 23, 1), (s.Status, s.StartTime, s.TotalProcessChains, s.SucceededProcessChains));
        Assert.Equal(Json(NewSubmission("s1").Workflow), Json(s.Workflow));
        Assert.Equal([1, 2, 3], (await submissions.GetCheckpointAsync("s1", Ct))!.State);
        Assert.Equal([2L], (await submissions.GetStepsAsync("s1", 1, Ct)).Select(x => x.Step));
        Assert.Equal(Json(NewChain("d19").Executables), Json((await chains.GetAsync("d19", Ct))!.Chain.Executables));
        Assert.Equal(22, (await chains.ListByStatusAsync(ProcessChainStatus.Registered, Ct)).Count);

        await submissions.CommitStepAsync("s1", Step(3), NewChains("e", 1), Ct);
        Assert.True((await chains.GetAsync("e0", Ct))!.Sequence > (await chains.GetAsync("d19", Ct))!.Sequence);
    }

    [SkippableFact]
    public async Task Concurrent_writers_on_two_instances_keep_the_counts_right()
    {
        const int tasks = 20, rounds = 30;
        var stores = new[] { (PostgresStore)Submissions, await OpenAnotherAsync() };
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
                // several chains in one transaction: the counts rows are locked in varying orders (deadlocks are retried)
                await chains.UpdateManyAsync(
                [
                    new ProcessChainUpdate($"c{(t + 1) % tasks}") { ErrorMessage = $"task {t} round {i}" },
                    new ProcessChainUpdate($"c{t}") { AgentId = $"a{t}" },
                ], Ct);
                await submissions.UpdateAsync(new SubmissionUpdate("s1") { ErrorMessage = $"task {t} round {i}" }, Ct);
            }
            await chains.UpdateAsync(new ProcessChainUpdate($"c{t}") { Status = ProcessChainStatus.Success }, Ct);
        })));

        Assert.Equal(new Dictionary<string, int> { [ProcessChainStatus.Success] = tasks }, await Chains.CountByStatusAsync("s1", Ct));
        Assert.All(await Chains.ListBySubmissionAsync("s1", null, Ct), c => Assert.Equal(rounds - 1, c.RunNumber));
    }

    [SkippableFact]
    public async Task Bursts_of_chain_updates_from_two_instances_in_every_transition_keep_the_counts_and_runs_right()
    {
        // as two silos do: many chains of two submissions start and finish at once, so that each instance commits them
        // in groups whose transitions and submissions differ from the other's
        const int chainsPerSubmission = 120;
        var stores = new[] { (PostgresStore)Submissions, await OpenAnotherAsync() };
        foreach (var s in new[] { "s1", "s2" })
        {
            await Submissions.AddAsync(NewSubmission(s), Ct);
            await Submissions.CommitStepAsync(s, Step(1), NewChains($"{s}-c", chainsPerSubmission), Ct);
        }
        var ids = Enumerable.Range(0, chainsPerSubmission).SelectMany(i => new[] { $"s1-c{i}", $"s2-c{i}" }).ToList();
        var start = DateTimeOffset.UtcNow;

        await Task.WhenAll(ids.Select((id, i) => Task.Run(async () =>
        {
            IProcessChainStore chains = stores[i % 2];
            Assert.True(await chains.UpdateAsync(new ProcessChainUpdate(id)
                { Status = ProcessChainStatus.Running, StartTime = start, AgentId = $"a{i % 8}", RunNumber = 1 }, Ct));
            Assert.True(await stores[(i + 1) % 2].UpdateAsync(new ProcessChainUpdate(id)
            {
                Status = i % 3 == 0 ? ProcessChainStatus.Error : ProcessChainStatus.Success, EndTime = start.AddSeconds(1),
                ErrorMessage = i % 3 == 0 ? $"failed {id}" : null,
            }, Ct));
        })));

        int errors = ids.Where((_, i) => i % 3 == 0).Count(id => id.StartsWith("s1-", StringComparison.Ordinal));
        Assert.Equal(new Dictionary<string, int> { [ProcessChainStatus.Success] = chainsPerSubmission - errors, [ProcessChainStatus.Error] = errors },
            await Chains.CountByStatusAsync("s1", Ct));
        var s2 = (await Submissions.GetAsync("s2", Ct))!;
        Assert.Equal((chainsPerSubmission, 0, chainsPerSubmission), (s2.TotalProcessChains, s2.RunningProcessChains, s2.SucceededProcessChains + s2.FailedProcessChains));
        foreach (var (id, i) in ids.Select((id, i) => (id, i)))
        {
            var run = Assert.Single(await Chains.ListRunsAsync(id, Ct));
            Assert.Equal((1, $"a{i % 8}", i % 3 == 0 ? ProcessChainStatus.Error : ProcessChainStatus.Success), (run.RunNumber, run.AgentId, run.Status));
        }
        Assert.False(await Chains.UpdateAsync(new ProcessChainUpdate("no-such-chain") { Status = ProcessChainStatus.Running }, Ct));
    }

    [SkippableFact]
    public async Task An_update_the_server_refuses_fails_alone_while_the_updates_sent_with_it_are_stored()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 40), Ct);

        // sent at once, so that they share group transactions; PostgreSQL text cannot hold a NUL character
        var updates = Enumerable.Range(0, 40).Select(i => Task.Run(() => Chains.UpdateAsync(new ProcessChainUpdate($"c{i}")
            { Status = ProcessChainStatus.Error, ErrorMessage = i == 17 ? "bad \0 message" : $"error {i}" }, Ct))).ToList();
        await Assert.ThrowsAnyAsync<Exception>(() => updates[17]);

        foreach (var (update, i) in updates.Select((u, i) => (u, i)).Where(x => x.i != 17))
        {
            Assert.True(await update);
            Assert.Equal($"error {i}", (await Chains.GetAsync($"c{i}", Ct))!.Chain.ErrorMessage);
        }
        var refused = (await Chains.GetAsync("c17", Ct))!.Chain;
        Assert.Equal((ProcessChainStatus.Registered, (string?)null), (refused.Status, refused.ErrorMessage));
        Assert.Equal(new Dictionary<string, int> { [ProcessChainStatus.Error] = 39, [ProcessChainStatus.Registered] = 1 },
            await Chains.CountByStatusAsync("s1", Ct));
    }

    [SkippableFact]
    public async Task Concurrent_commits_of_one_step_let_exactly_one_through()
    {
        var other = await OpenAnotherAsync();
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        var attempts = Enumerable.Range(0, 6).Select(i => Task.Run(async () =>
        {
            ISubmissionStore store = i % 2 == 0 ? (PostgresStore)Submissions : other;
            try
            {
                await store.CommitStepAsync("s1", Step(1), NewChains($"x{i}-", i == 0 ? 50 : 2), Ct);
                return true;
            }
            catch (InvalidOperationException e)
            {
                Assert.Contains("does not follow step 1", e.Message);
                return false;
            }
        })).ToList();

        Assert.Single(await Task.WhenAll(attempts), ok => ok);
        var total = (await Submissions.GetAsync("s1", Ct))!.TotalProcessChains;
        Assert.True(total is 50 or 2, $"{total} chains");
        Assert.Equal(total, (await Chains.ListAsync("s1", null, 0, 100, false, Ct)).Items.Count);
    }

    [SkippableFact]
    public async Task A_commit_cancelled_midway_is_rolled_back_and_the_store_stays_usable()
    {
        const int n = 50_000;
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        using var cts = new CancellationTokenSource();
        var commit = Task.Run(() => Submissions.CommitStepAsync("s1", Step(1), NewChains("c", n, 1), cts.Token));
        await Task.Delay(50);
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

    [SkippableFact]
    public async Task Calls_after_dispose_are_refused()
    {
        await ((PostgresStore)Submissions).DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Submissions.AddAsync(NewSubmission("s1"), Ct));
        await Assert.ThrowsAsync<ObjectDisposedException>(() => Submissions.GetAsync("s1", Ct));
    }

    private async Task<IEnumerable<int>> Versions(string schema)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT version FROM \"{schema}\".schema_version ORDER BY version", connection);
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private async Task<object?> Scalar(string sql)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteScalarAsync();
    }

    private Task Execute(string sql) => Scalar(sql);
}
