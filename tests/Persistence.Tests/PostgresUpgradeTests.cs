using Npgsql;
using NpgsqlTypes;
using Steep.Core.Models;
using Steep.Persistence.Postgres;
using Steep.Persistence.Search;
using Xunit;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>
/// Registries that an older version of Steep left with data (its migrations only, its rows written as its store wrote
/// them) are upgraded by the current store on open: everything stored answers as before, new work is counted on top,
/// and several stores opening an old registry at once upgrade it once.
/// </summary>
public sealed class PostgresUpgradeTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private readonly string _schema = "u_" + Guid.NewGuid().ToString("N");

    public static TheoryData<int> OldVersions()
    {
        var versions = new TheoryData<int>();
        for (int v = 1; v < PostgresStore.SchemaVersion; v++) versions.Add(v);
        return versions;
    }

    [SkippableTheory]
    [MemberData(nameof(OldVersions))]
    public async Task A_registry_with_data_from_an_older_version_answers_as_before_after_the_upgrade(int version)
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await CreateOldRegistryAsync(version);

        await using var store = await PostgresStore.OpenAsync(database.ConnectionString, _schema, Ct);
        Assert.Equal(Enumerable.Range(1, PostgresStore.SchemaVersion), await VersionsAsync());
        await AssertOldDataAsync(store);

        // new work on top of the old counts: status changes of old chains, a new step, a new submission
        IProcessChainStore chains = store;
        ISubmissionStore submissions = store;
        Assert.True(await chains.UpdateAsync(new ProcessChainUpdate("c2") { Status = ProcessChainStatus.Success, EndTime = Start.AddMinutes(1) }, Ct));
        Assert.True(await chains.UpdateAsync(new ProcessChainUpdate("c3")
            { Status = ProcessChainStatus.Running, StartTime = Start, AgentId = "a3", RunNumber = 1 }, Ct));
        await submissions.CommitStepAsync("s1", Step(3), NewChains("e", 2), Ct);
        await submissions.AddAsync(NewSubmission("s3"), Ct);

        Assert.Equal(Counts(registered: 4, running: 1, success: 2, error: 1), await chains.CountByStatusAsync("s1", Ct));
        var s1 = (await submissions.GetAsync("s1", Ct))!;
        Assert.Equal((8, 1, 2, 1), (s1.TotalProcessChains, s1.RunningProcessChains, s1.SucceededProcessChains, s1.FailedProcessChains));
        Assert.Equal(10, (await chains.ListAsync(null, null, 0, 1, false, Ct)).Total);
        Assert.Equal(["s3", "s2", "s1"], (await submissions.ListAsync(0, 10, null, Ct)).Items.Select(s => s.Id));
        var c2Run = Assert.Single(await chains.ListRunsAsync("c2", Ct));
        Assert.Equal((1, ProcessChainStatus.Success, Start.AddMinutes(1)), (c2Run.RunNumber, c2Run.Status, c2Run.EndTime));
        Assert.Equal(["e1", "e0", "c5"], (await chains.ListAsync("s1", ProcessChainStatus.Registered, 0, 3, true, Ct)).Items.Select(c => c.Chain.Id));
    }

    [SkippableFact]
    public async Task Stores_opening_a_registry_of_the_previous_version_at_once_upgrade_it_once()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await CreateOldRegistryAsync(PostgresStore.SchemaVersion - 1);

        // as silos started together do: each opens its store on its own connection at the same moment
        using var go = new ManualResetEventSlim();
        var opening = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            go.Wait();
            return await PostgresStore.OpenAsync(database.ConnectionString, _schema, Ct);
        })).ToList();
        go.Set();
        var stores = await Task.WhenAll(opening);
        try
        {
            Assert.Equal(Enumerable.Range(1, PostgresStore.SchemaVersion), await VersionsAsync());
            foreach (var store in stores) await AssertOldDataAsync(store);

            // all of them count into the same tables: each moves chains of s1 at once
            await Task.WhenAll(new[] { "c3", "c4", "c5", "c2" }.Select((id, i) => Task.Run(() =>
                ((IProcessChainStore)stores[i]).UpdateAsync(new ProcessChainUpdate(id) { Status = ProcessChainStatus.Success }, Ct))));
            foreach (var store in stores)
                Assert.Equal(Counts(registered: 0, running: 0, success: 5, error: 1), await ((IProcessChainStore)store).CountByStatusAsync("s1", Ct));
        }
        finally
        {
            foreach (var store in stores) await store.DisposeAsync();
        }
    }

    /// <summary>What <see cref="CreateOldRegistryAsync"/> stored, read through the current store.</summary>
    private static async Task AssertOldDataAsync(PostgresStore store)
    {
        ISubmissionStore submissions = store;
        IProcessChainStore chains = store;

        var s1 = (await submissions.GetAsync("s1", Ct))!;
        Assert.Equal((SubmissionStatus.Running, T0, "copy s1", 7), (s1.Status, s1.StartTime, s1.Name, s1.Priority));
        Assert.Equal((6, 1, 1, 1), (s1.TotalProcessChains, s1.RunningProcessChains, s1.SucceededProcessChains, s1.FailedProcessChains));
        Assert.Equal(Json(OldWorkflow("s1")), Json(s1.Workflow));
        // listings and searches read the name and priority from their columns, not from the workflow
        var listed = (await submissions.ListAsync(0, 10, null, Ct)).Items;
        Assert.Equal([("s2", "copy s2", 0, 2), ("s1", "copy s1", 7, 6)], listed.Select(s => (s.Id, s.Name!, s.Priority, s.TotalProcessChains)));
        var s2 = (await submissions.GetSummaryAsync("s2", Ct))!;
        Assert.Equal((SubmissionStatus.Success, 2), (s2.Status, s2.SucceededProcessChains));

        Assert.Equal(Counts(registered: 3, running: 1, success: 1, error: 1), await chains.CountByStatusAsync("s1", Ct));
        var all = await chains.CountByStatusAsync(null, Ct);
        Assert.Equal((3, 3), (all[ProcessChainStatus.Success], all[ProcessChainStatus.Registered]));
        Assert.Equal(8, (await chains.ListAsync(null, null, 0, 1, false, Ct)).Total);
        Assert.Equal(["c0", "c1", "c2", "c3", "c4", "c5"], (await chains.ListBySubmissionAsync("s1", null, Ct)).Select(c => c.Chain.Id));

        var c0 = (await chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Error, "disk full", "a1", 1), (c0.Chain.Status, c0.Chain.ErrorMessage, c0.AgentId, c0.RunNumber));
        Assert.Equal(Json(NewChain("c0", 1, "highmemory").Executables), Json(c0.Chain.Executables));
        Assert.Equal(["/out/c1"], (await chains.GetAsync("c1", Ct))!.Chain.Results!["o"]);
        Assert.Equal(new ProcessChainRun(1, "a1", Start, Start.AddSeconds(1), ProcessChainStatus.Error, "disk full"),
            Assert.Single(await chains.ListRunsAsync("c0", Ct)));
        var running = Assert.Single(await chains.ListRunsAsync("c2", Ct));
        Assert.Equal((1, "a2", ProcessChainStatus.Running), (running.RunNumber, running.AgentId, running.Status));
        Assert.Empty(await chains.ListRunsAsync("c3", Ct));
        Assert.Equal(["c2"], (await chains.ListByStatusAsync(ProcessChainStatus.Running, Ct)).Select(c => c.Chain.Id));

        var found = await store.SearchAsync(SearchQueryParser.Parse("disk highmem", TimeZoneInfo.Utc), 0, 10, SearchCount.Exact, Ct);
        Assert.Equal(["c0"], found.Items.Select(h => h.Id));
        found = await store.SearchAsync(SearchQueryParser.Parse("is:processchain", TimeZoneInfo.Utc), 0, 10, SearchCount.Exact, Ct);
        Assert.Equal(8, found.ProcessChains);
        found = await store.SearchAsync(SearchQueryParser.Parse("is:workflow copy", TimeZoneInfo.Utc), 0, 10, SearchCount.Exact, Ct);
        Assert.Equal([("s2", "copy s2"), ("s1", "copy s1")], found.Items.Select(h => (h.Id, h.Name!)));

        Assert.Equal([2L], (await submissions.GetStepsAsync("s1", 0, Ct)).Select(s => s.Step));
        var checkpoint = (await submissions.GetCheckpointAsync("s1", Ct))!;
        Assert.Equal(1L, checkpoint.Step);
        Assert.Equal([1, 2, 3], checkpoint.State);
        // the journal position survived: step 2 is not committed again, step 3 follows
        var stale = await Assert.ThrowsAsync<InvalidOperationException>(() => submissions.CommitStepAsync("s1", Step(2), [], Ct));
        Assert.Contains("does not follow step 2", stale.Message);
    }

    /// <summary>
    /// The registry as a store of schema <paramref name="version"/> left it: the migrations up to that version, then the
    /// rows that store wrote, status changes through that version's count trigger.
    /// </summary>
    private async Task CreateOldRegistryAsync(int version)
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await PostgresSchema.MigrateAsync(connection, _schema, Ct, version);
        Assert.Equal(Enumerable.Range(1, version), await VersionsAsync());
        await ExecuteAsync(connection, $"SET search_path TO \"{_schema}\"");

        bool named = version >= 2, runs = version >= 3;
        foreach (var (id, status) in new[] { ("s1", SubmissionStatus.Running), ("s2", SubmissionStatus.Success) })
        {
            var workflow = OldWorkflow(id);
            await ExecuteAsync(connection, named
                ? "INSERT INTO submissions (id, status, start_time, required_capabilities, workflow, name, priority) VALUES ($1, $2, $3, $4, $5, $6, $7)"
                : "INSERT INTO submissions (id, status, start_time, required_capabilities, workflow) VALUES ($1, $2, $3, $4, $5)",
                [id, status, T0.ToUniversalTime(), new[] { "docker" }, Parameter(Json(workflow), NpgsqlDbType.Json), .. named ? new object[] { workflow.Name!, workflow.Priority ?? 0 } : []]);
            await ExecuteAsync(connection, "INSERT INTO submission_journal (submission_id, last_step) VALUES ($1, 0)", id);
        }
        await CommitOldStepAsync(connection, "s1", 1, [NewChain("c0", 1, "highmemory"), .. NewChains("c", 6).Skip(1)]);
        await CommitOldStepAsync(connection, "s1", 2, []);
        await CommitOldStepAsync(connection, "s2", 1, NewChains("x", 2));
        await ExecuteAsync(connection, "INSERT INTO generator_checkpoints (submission_id, step, state) VALUES ('s1', 1, $1)", new byte[] { 1, 2, 3 });
        await ExecuteAsync(connection, "DELETE FROM generator_steps WHERE submission_id = 's1' AND step <= 1");

        // chains that ran: each status change is its own UPDATE, counted by the old version's trigger
        await RunOldAsync(connection, runs, "c0", "a1", ProcessChainStatus.Error, "disk full", null);
        await RunOldAsync(connection, runs, "c1", "a1", ProcessChainStatus.Success, null, Json(ResultFiles("/out/c1")));
        await RunOldAsync(connection, runs, "c2", "a2", null, null, null);
        await RunOldAsync(connection, runs, "x0", "a1", ProcessChainStatus.Success, null, Json(ResultFiles("/out/x0")));
        await RunOldAsync(connection, runs, "x1", "a2", ProcessChainStatus.Success, null, Json(ResultFiles("/out/x1")));
    }

    private static Workflow OldWorkflow(string submissionId) =>
        NewSubmission(submissionId).Workflow! with { Priority = submissionId == "s1" ? 7 : null };

    private static async Task CommitOldStepAsync(NpgsqlConnection connection, string submissionId, long step, IReadOnlyList<ProcessChain> chains)
    {
        await using var tx = await connection.BeginTransactionAsync(Ct);
        await ExecuteAsync(connection, "UPDATE submission_journal SET last_step = $2 WHERE submission_id = $1", submissionId, step);
        await ExecuteAsync(connection, "INSERT INTO generator_steps (submission_id, step, input) VALUES ($1, $2, $3)", submissionId, step, Step(step).Input);
        foreach (var chain in chains)
        {
            await ExecuteAsync(connection,
                "INSERT INTO process_chains (id, submission_id, status, priority, required_capabilities, executables) VALUES ($1, $2, 'REGISTERED', $3, $4, $5)",
                chain.Id, submissionId, chain.Priority ?? 0, chain.RequiredCapabilities.ToArray(), Parameter(Json(chain.Executables), NpgsqlDbType.Json));
        }
        // counted once per step, as the store did before counts had shards
        if (chains.Count > 0)
        {
            await ExecuteAsync(connection, """
                INSERT INTO process_chain_counts (submission_id, status, n) VALUES ($1, 'REGISTERED', $2)
                ON CONFLICT (submission_id, status) DO UPDATE SET n = process_chain_counts.n + excluded.n
                """, submissionId, (long)chains.Count);
        }
        await tx.CommitAsync(Ct);
    }

    /// <summary>Starts a chain's first run and, unless <paramref name="final"/> is null, ends it.</summary>
    private static async Task RunOldAsync(NpgsqlConnection connection, bool runs, string id, string agent, string? final, string? error, string? results)
    {
        await ExecuteAsync(connection, "UPDATE process_chains SET status = 'RUNNING', start_time = $2, agent_id = $3, run_number = 1 WHERE id = $1",
            id, Start, agent);
        if (runs)
        {
            await ExecuteAsync(connection,
                "INSERT INTO process_chain_runs (chain_id, run_number, agent_id, start_time, status) VALUES ($1, 1, $2, $3, 'RUNNING')", id, agent, Start);
        }
        if (final is null) return;
        await ExecuteAsync(connection, "UPDATE process_chains SET status = $2, end_time = $3, error_message = $4, results = $5 WHERE id = $1",
            id, final, Start.AddSeconds(1), (object?)error ?? DBNull.Value, Parameter((object?)results ?? DBNull.Value, NpgsqlDbType.Json));
        if (runs)
        {
            await ExecuteAsync(connection, "UPDATE process_chain_runs SET status = $2, end_time = $3, error_message = $4 WHERE chain_id = $1 AND run_number = 1",
                id, final, Start.AddSeconds(1), (object?)error ?? DBNull.Value);
        }
    }

    private static Dictionary<string, int> Counts(int registered, int running, int success, int error) =>
        new Dictionary<string, int>
        {
            [ProcessChainStatus.Registered] = registered,
            [ProcessChainStatus.Running] = running,
            [ProcessChainStatus.Success] = success,
            [ProcessChainStatus.Error] = error,
        }.Where(e => e.Value > 0).ToDictionary();

    private async Task<IEnumerable<int>> VersionsAsync()
    {
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync(Ct);
        await using var command = new NpgsqlCommand($"SELECT version FROM \"{_schema}\".schema_version ORDER BY version", connection);
        var versions = new List<int>();
        await using var reader = await command.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct)) versions.Add(reader.GetInt32(0));
        return versions;
    }

    private static NpgsqlParameter Parameter(object value, NpgsqlDbType type) => new() { Value = value, NpgsqlDbType = type };

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, params object[] values)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values) command.Parameters.Add(value as NpgsqlParameter ?? new NpgsqlParameter { Value = value });
        await command.ExecuteNonQueryAsync(Ct);
    }
}
