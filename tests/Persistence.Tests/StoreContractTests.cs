using System.Text.Json;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Persistence.Search;
using Xunit;
using Xunit.Abstractions;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>The behaviour every store implementation must have; derived classes supply the store.</summary>
/// <remarks>Skippable facts: a store that needs a server may skip them when told to (see <c>PostgresServer</c>).</remarks>
public abstract class StoreContractTests(ITestOutputHelper output) : IAsyncLifetime
{
    private object? _store;

    protected static CancellationToken Ct => CancellationToken.None;
    protected ITestOutputHelper Output { get; } = output;
    protected ISubmissionStore Submissions => (ISubmissionStore)_store!;
    protected IProcessChainStore Chains => (IProcessChainStore)_store!;

    /// <summary>A new, empty store implementing both interfaces.</summary>
    protected abstract object CreateStore();

    /// <summary>A new, empty store, for stores that open asynchronously; by default <see cref="CreateStore"/>.</summary>
    protected virtual Task<object> CreateStoreAsync() => Task.FromResult(CreateStore());

    /// <inheritdoc />
    public virtual async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable d) await d.DisposeAsync();
    }

    // ---- submissions ----

    [SkippableFact]
    public async Task Add_then_get_round_trips_everything()
    {
        var s = NewSubmission("s1", SubmissionStatus.Error) with
        {
            StartTime = T0,
            EndTime = T0.AddMinutes(5),
            Results = ResultFiles("/out/a.txt", "/out/b.txt"),
            ErrorMessage = "Service 'cp' failed: exit code 1",
        };
        await Submissions.AddAsync(s, Ct);

        var got = await Submissions.GetAsync("s1", Ct);
        Assert.NotNull(got);
        Assert.Equal(Json(s), Json(got));
        Assert.Equal(T0, got.StartTime);
        Assert.Equal(0, got.TotalProcessChains);
    }

    [SkippableFact]
    public async Task The_services_a_submission_was_accepted_with_come_back_with_it()
    {
        var services = ModelReader.ReadServices("""
            - id: cp
              name: Copy
              description: copies
              path: /opt/tools/cp.sh
              runtime: other
              required_capabilities: [docker]
              parameters:
                - {id: i, name: i, description: input, type: input, cardinality: 1..1}
                - {id: o, name: o, description: output, type: output, cardinality: 1..1, data_type: directory}
            """, "services.yaml");
        await Submissions.AddAsync(NewSubmission("s1") with { ServiceMetadata = services }, Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);

        var got = await Submissions.GetAsync("s1", Ct);
        Assert.NotNull(got?.ServiceMetadata);
        Assert.Equal(JsonSerializer.Serialize(services, SteepJson.Options), JsonSerializer.Serialize(got.ServiceMetadata, SteepJson.Options));
        Assert.Null((await Submissions.GetAsync("s2", Ct))!.ServiceMetadata);
        Assert.All((await Submissions.ListAsync(0, 10, null, Ct)).Items, x => Assert.Null(x.ServiceMetadata));
    }

    [SkippableFact]
    public async Task Add_fails_when_the_id_exists()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.AddAsync(NewSubmission("s1"), Ct));
        Assert.Single((await Submissions.ListAsync(0, 10, null, Ct)).Items);
    }

    [SkippableFact]
    public async Task Unknown_ids_give_null_false_or_empty()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        Assert.Null(await Submissions.GetAsync("nope", Ct));
        Assert.False(await Submissions.UpdateAsync(new SubmissionUpdate("nope") { Status = SubmissionStatus.Running }, Ct));
        Assert.Null(await Submissions.GetCheckpointAsync("nope", Ct));
        Assert.Null(await Submissions.GetCheckpointAsync("s1", Ct));
        Assert.Empty(await Submissions.GetStepsAsync("nope", 0, Ct));
        Assert.Null(await Chains.GetAsync("nope", Ct));
        Assert.False(await Chains.UpdateAsync(new ProcessChainUpdate("nope") { Status = ProcessChainStatus.Running }, Ct));
        Assert.Empty(await Chains.ListBySubmissionAsync("nope", null, Ct));
        Assert.Empty(await Chains.CountByStatusAsync("nope", Ct));
        Assert.Empty(await Chains.CountByStatusAsync(null, Ct));
        Assert.Empty(await Chains.ListByStatusAsync(ProcessChainStatus.Registered, Ct));
        var page = await Chains.ListAsync("nope", null, 0, 10, false, Ct);
        Assert.Empty(page.Items);
        Assert.Equal(0, page.Total);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("nope", Step(1), NewChains("c", 1), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.SaveCheckpointAsync("nope", new GeneratorCheckpoint(0, [1]), Ct));
    }

    [SkippableFact]
    public async Task List_is_newest_first_and_paged_with_total()
    {
        for (int i = 1; i <= 5; i++) await Submissions.AddAsync(NewSubmission($"s{i}"), Ct);

        await AssertPage(0, 2, ["s5", "s4"]);
        await AssertPage(2, 2, ["s3", "s2"]);
        await AssertPage(4, 2, ["s1"]);
        await AssertPage(10, 2, []);
        await AssertPage(0, 0, []);

        async Task AssertPage(int offset, int size, string[] ids)
        {
            var page = await Submissions.ListAsync(offset, size, null, Ct);
            Assert.Equal(ids, page.Items.Select(s => s.Id));
            Assert.Equal(5, page.Total);
        }
    }

    [SkippableFact]
    public async Task List_filters_by_status()
    {
        string[] statuses = [SubmissionStatus.Accepted, SubmissionStatus.Running, SubmissionStatus.Success, SubmissionStatus.Running, SubmissionStatus.Error];
        for (int i = 0; i < statuses.Length; i++) await Submissions.AddAsync(NewSubmission($"s{i}", statuses[i]), Ct);

        var running = await Submissions.ListAsync(0, 10, SubmissionStatus.Running, Ct);
        Assert.Equal(["s3", "s1"], running.Items.Select(s => s.Id));
        Assert.Equal(2, running.Total);

        var firstRunning = await Submissions.ListAsync(0, 1, SubmissionStatus.Running, Ct);
        Assert.Equal(["s3"], firstRunning.Items.Select(s => s.Id));
        Assert.Equal(2, firstRunning.Total);

        var cancelled = await Submissions.ListAsync(0, 10, SubmissionStatus.Cancelled, Ct);
        Assert.Empty(cancelled.Items);
        Assert.Equal(0, cancelled.Total);
    }

    [SkippableFact]
    public async Task List_leaves_out_workflow_results_and_error_but_has_counts()
    {
        await Submissions.AddAsync(NewSubmission("s1") with { StartTime = T0, Results = ResultFiles("/a"), ErrorMessage = "bad" }, Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Success }, Ct);

        var listed = Assert.Single((await Submissions.ListAsync(0, 10, null, Ct)).Items);
        Assert.Null(listed.Workflow);
        Assert.Null(listed.Results);
        Assert.Null(listed.ErrorMessage);
        Assert.Equal(T0, listed.StartTime);
        Assert.Equal(["docker", "gpu"], listed.RequiredCapabilities);
        Assert.Equal(3, listed.TotalProcessChains);
        Assert.Equal(1, listed.SucceededProcessChains);
    }

    [SkippableFact]
    public async Task Summary_is_the_submission_with_counts_and_error_but_without_workflow_source_and_results()
    {
        await Submissions.AddAsync(NewSubmission("s1", SubmissionStatus.Error) with
        {
            StartTime = T0, EndTime = T0.AddMinutes(1), Results = ResultFiles("/a"), ErrorMessage = "bad", Source = "api: 4.4.0", Priority = 7,
        }, Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Error }, Ct);

        var summary = await Submissions.GetSummaryAsync("s1", Ct);
        Assert.NotNull(summary);
        Assert.Null(summary.Workflow);
        Assert.Null(summary.Source);
        Assert.Null(summary.Results);
        Assert.Null(summary.ServiceMetadata);
        Assert.Equal("bad", summary.ErrorMessage);
        Assert.Equal("copy s1", summary.Name);
        Assert.Equal(7, summary.Priority);
        Assert.Equal(SubmissionStatus.Error, summary.Status);
        Assert.Equal(T0.AddMinutes(1), summary.EndTime);
        Assert.Equal(["docker", "gpu"], summary.RequiredCapabilities);
        Assert.Equal(3, summary.TotalProcessChains);
        Assert.Equal(1, summary.FailedProcessChains);
        Assert.Null(await Submissions.GetSummaryAsync("nope", Ct));
    }

    [SkippableFact]
    public async Task Results_come_a_page_at_a_time_in_their_order_with_the_number_of_variables()
    {
        var results = new Dictionary<string, IReadOnlyList<string>>();
        // names out of alphabetical order: the page follows the results object, not a sort
        foreach (var name in new[] { "z", "b", "y", "a", "x" }) results[name] = [$"/out/{name}1", $"/out/{name}2"];
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Status = SubmissionStatus.Success, Results = results }, Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);

        var first = await Submissions.GetResultsAsync("s1", 0, 2, Ct);
        Assert.NotNull(first);
        Assert.Equal(5, first.Total);
        Assert.Equal(["z", "b"], first.Items.Select(p => p.Key));
        Assert.Equal(["/out/z1", "/out/z2"], first.Items[0].Value);
        var rest = await Submissions.GetResultsAsync("s1", 2, 10, Ct);
        Assert.Equal(["y", "a", "x"], rest!.Items.Select(p => p.Key));
        Assert.Equal(["/out/x1", "/out/x2"], rest.Items[2].Value);
        var beyond = await Submissions.GetResultsAsync("s1", 5, 10, Ct);
        Assert.Empty(beyond!.Items);
        Assert.Equal(5, beyond.Total);

        var none = await Submissions.GetResultsAsync("s2", 0, 10, Ct);
        Assert.NotNull(none);
        Assert.Empty(none.Items);
        Assert.Equal(0, none.Total);
        Assert.Null(await Submissions.GetResultsAsync("nope", 0, 10, Ct));
    }

    [SkippableFact]
    public async Task Graph_rows_have_status_agent_times_services_and_files_of_every_chain_in_order()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        var docker = NewChain("d0", 1) with
        {
            // a second service, an argument of another type and an empty value: only the two files count
            Executables =
            [
                NewChain("d0", 1).Executables[0],
                new Executable
                {
                    Id = "tar", Path = "tar", ServiceId = "pack", Runtime = "docker",
                    Arguments =
                    [
                        new Argument { Id = "level", Variable = new ArgumentVariable("l", "9"), Type = ArgumentTypes.Argument },
                        new Argument { Id = "input", Variable = new ArgumentVariable("x", ""), Type = ArgumentTypes.Input },
                        new Argument { Id = "output", Variable = new ArgumentVariable("t", "/data/d0/all.tar"), Type = ArgumentTypes.Output },
                    ],
                },
            ],
        };
        await Submissions.CommitStepAsync("s1", Step(1), [.. NewChains("c", 2), docker], Ct);
        await Submissions.CommitStepAsync("s2", Step(1), NewChains("other", 1), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1")
        {
            Status = ProcessChainStatus.Success, AgentId = "a1", StartTime = T0, EndTime = T0.AddSeconds(2),
        }, Ct);

        var rows = await Chains.ListGraphAsync("s1", Ct);
        Assert.Equal(["c0", "c1", "d0"], rows.Select(r => r.Id));
        Assert.Equal((ProcessChainStatus.Registered, (string?)null, (DateTimeOffset?)null), (rows[0].Status, rows[0].AgentId, rows[0].StartTime));
        Assert.Equal((ProcessChainStatus.Success, "a1", T0, T0.AddSeconds(2)), (rows[1].Status, rows[1].AgentId, rows[1].StartTime!.Value, rows[1].EndTime!.Value));
        Assert.Equal(["cp"], rows[0].Services);
        Assert.Equal(["/data/c0/in0.txt", "/data/c0/in1.txt"], rows[0].Inputs);
        Assert.Equal(["/data/c0/out0.txt", "/data/c0/out1.txt"], rows[0].Outputs);
        Assert.Equal(["cp", "pack"], rows[2].Services);
        Assert.Equal(["/data/d0/in0.txt"], rows[2].Inputs);
        Assert.Equal(["/data/d0/out0.txt", "/data/d0/all.tar"], rows[2].Outputs);
        // the same as reading the chains in full
        var full = (await Chains.ListBySubmissionAsync("s1", null, Ct)).Select(ChainGraphRow.From).ToList();
        Assert.Equal(Json(full), Json(rows));
        Assert.Empty(await Chains.ListGraphAsync("nope", Ct));
    }

    [SkippableFact]
    public async Task Update_sets_given_fields_and_leaves_null_fields_alone()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);

        Assert.True(await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Status = SubmissionStatus.Running, StartTime = T0 }, Ct));
        Assert.True(await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Results = ResultFiles("/x") }, Ct));
        Assert.True(await Submissions.UpdateAsync(new SubmissionUpdate("s1") { EndTime = T0.AddHours(1), ErrorMessage = "oops" }, Ct));
        Assert.True(await Submissions.UpdateAsync(new SubmissionUpdate("s1"), Ct));

        var got = (await Submissions.GetAsync("s1", Ct))!;
        Assert.Equal(SubmissionStatus.Running, got.Status);
        Assert.Equal(T0, got.StartTime);
        Assert.Equal(T0.AddHours(1), got.EndTime);
        Assert.Equal(["/x"], got.Results!["o"]);
        Assert.Equal("oops", got.ErrorMessage);
        Assert.Equal(Json(NewSubmission("s1").Workflow), Json(got.Workflow));

        Assert.True(await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Status = SubmissionStatus.Error }, Ct));
        got = (await Submissions.GetAsync("s1", Ct))!;
        Assert.Equal(SubmissionStatus.Error, got.Status);
        Assert.Equal("oops", got.ErrorMessage);
        Assert.Equal(T0, got.StartTime);
    }

    [SkippableFact]
    public async Task Unfinished_ids_are_accepted_and_running_oldest_first()
    {
        string[] statuses =
        [
            SubmissionStatus.Running, SubmissionStatus.Success, SubmissionStatus.Accepted, SubmissionStatus.Cancelled,
            SubmissionStatus.PartialSuccess, SubmissionStatus.Error, SubmissionStatus.Accepted,
        ];
        for (int i = 0; i < statuses.Length; i++) await Submissions.AddAsync(NewSubmission($"s{i}", statuses[i]), Ct);
        Assert.Equal(["s0", "s2", "s6"], await Submissions.ListUnfinishedIdsAsync(Ct));

        await Submissions.UpdateAsync(new SubmissionUpdate("s2") { Status = SubmissionStatus.Success }, Ct);
        await Submissions.UpdateAsync(new SubmissionUpdate("s1") { Status = SubmissionStatus.Running }, Ct);
        Assert.Equal(["s0", "s1", "s6"], await Submissions.ListUnfinishedIdsAsync(Ct));
    }

    // ---- generator journal ----

    [SkippableFact]
    public async Task Commit_step_inserts_the_chains_as_registered_in_order()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        var chains = new[]
        {
            NewChain("c0", 2, "docker") with { Status = ProcessChainStatus.Running, Priority = 5 },
            NewChain("c1", 1),
            NewChain("c2", 3, "gpu", "docker"),
        };
        await Submissions.CommitStepAsync("s1", Step(1), chains, Ct);

        var stored = await Chains.ListBySubmissionAsync("s1", null, Ct);
        Assert.Equal(["c0", "c1", "c2"], stored.Select(c => c.Chain.Id));
        Assert.True(stored[0].Sequence < stored[1].Sequence && stored[1].Sequence < stored[2].Sequence);
        for (int i = 0; i < chains.Length; i++)
        {
            var c = stored[i];
            Assert.Equal(ProcessChainStatus.Registered, c.Chain.Status);
            Assert.Equal("s1", c.Chain.SubmissionId);
            Assert.Null(c.AgentId);
            Assert.Equal(0, c.RunNumber);
            Assert.Null(c.Chain.StartTime);
            Assert.Equal(Json(chains[i].Executables), Json(c.Chain.Executables));
            Assert.Equal(chains[i].RequiredCapabilities, c.Chain.RequiredCapabilities);
            Assert.Equal(chains[i].Priority, c.Chain.Priority);
        }

        var one = await Chains.GetAsync("c2", Ct);
        Assert.NotNull(one);
        Assert.Equal(Json(stored[2]), Json(one));
    }

    [SkippableFact]
    public async Task Commit_step_is_all_or_nothing()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), [NewChain("a")], Ct);

        // The last chain collides with a stored one: nothing of step 2 may remain.
        var failing = NewChains("b", 100).Append(NewChain("a")).ToArray();
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("s1", Step(2), failing, Ct));
        // A duplicate inside the step as well.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Submissions.CommitStepAsync("s1", Step(2), [NewChain("x"), NewChain("y"), NewChain("x")], Ct));

        Assert.Equal(1, (await Submissions.GetAsync("s1", Ct))!.TotalProcessChains);
        Assert.Equal([1L], (await Submissions.GetStepsAsync("s1", 0, Ct)).Select(s => s.Step));
        Assert.Null(await Chains.GetAsync("b0", Ct));
        Assert.Null(await Chains.GetAsync("x", Ct));

        // The same step number can be committed again once the problem is gone.
        await Submissions.CommitStepAsync("s1", Step(2), NewChains("b", 100), Ct);
        Assert.Equal(101, (await Submissions.GetAsync("s1", Ct))!.TotalProcessChains);
        Assert.Equal([1L, 2L], (await Submissions.GetStepsAsync("s1", 0, Ct)).Select(s => s.Step));
    }

    [SkippableFact]
    public async Task Commit_step_makes_chains_and_journal_visible_together()
    {
        const int n = 10_000;
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        var commit = Task.Run(() => Submissions.CommitStepAsync("s1", Step(1), NewChains("c", n, 1), Ct));

        int observations = 0;
        bool done;
        do
        {
            done = commit.IsCompleted;
            int before = (await Chains.CountByStatusAsync("s1", Ct)).GetValueOrDefault(ProcessChainStatus.Registered);
            int steps = (await Submissions.GetStepsAsync("s1", 0, Ct)).Count;
            var after = await Chains.ListAsync("s1", null, 0, 1, true, Ct);
            Assert.True(before is 0 or n, $"saw {before} chains");
            Assert.True(after.Total is 0 or n, $"saw {after.Total} chains");
            if (before == n) Assert.Equal(1, steps);
            if (steps == 1) Assert.Equal(n, after.Total);
            observations++;
            await Task.Delay(1);
        }
        while (!done);
        await commit;
        Output.WriteLine($"{observations} observations during the commit");
        Assert.Equal(n, (await Submissions.GetAsync("s1", Ct))!.TotalProcessChains);
    }

    [SkippableFact]
    public async Task A_cancelled_commit_changes_nothing()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 10), cancelled.Token));
        Assert.Empty(await Submissions.GetStepsAsync("s1", 0, Ct));
        Assert.Equal(0, (await Submissions.GetAsync("s1", Ct))!.TotalProcessChains);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 10), Ct);
    }

    [SkippableFact]
    public async Task Journal_keeps_steps_in_order()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        for (int i = 1; i <= 3; i++)
        {
            await Submissions.CommitStepAsync("s1", Step(i), [], Ct);
            await Submissions.CommitStepAsync("s2", Step(i), [NewChain($"s2-{i}")], Ct);
        }

        var steps = await Submissions.GetStepsAsync("s1", 0, Ct);
        Assert.Equal([1L, 2L, 3L], steps.Select(s => s.Step));
        Assert.Equal(Step(2).Input, steps[1].Input);
        Assert.Equal([3L], (await Submissions.GetStepsAsync("s1", 2, Ct)).Select(s => s.Step));
        Assert.Empty(await Submissions.GetStepsAsync("s1", 3, Ct));
    }

    [SkippableFact]
    public async Task Commit_step_must_follow_the_last_step()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("s1", Step(2), [], Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("s1", Step(0), [], Ct));
        await Submissions.CommitStepAsync("s1", Step(1), [NewChain("a")], Ct);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.CommitStepAsync("s1", Step(1), [NewChain("b")], Ct));
        Assert.Null(await Chains.GetAsync("b", Ct));
        await Submissions.CommitStepAsync("s1", Step(2), [NewChain("b")], Ct);
    }

    [SkippableFact]
    public async Task Checkpoint_replaces_the_old_one_and_drops_older_steps()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(0, [0]), Ct);
        for (int i = 1; i <= 3; i++) await Submissions.CommitStepAsync("s1", Step(i), [], Ct);

        await Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(2, [2, 2]), Ct);
        var checkpoint = await Submissions.GetCheckpointAsync("s1", Ct);
        Assert.Equal(2, checkpoint!.Step);
        Assert.Equal([2, 2], checkpoint.State);
        Assert.Equal([3L], (await Submissions.GetStepsAsync("s1", 0, Ct)).Select(s => s.Step));

        // Numbering goes on after the checkpoint; the journal holds only what the checkpoint lacks.
        await Submissions.CommitStepAsync("s1", Step(4), [], Ct);
        await Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(4, [4]), Ct);
        Assert.Equal(4, (await Submissions.GetCheckpointAsync("s1", Ct))!.Step);
        Assert.Empty(await Submissions.GetStepsAsync("s1", 0, Ct));
        await Submissions.CommitStepAsync("s1", Step(5), [], Ct);
        Assert.Equal([5L], (await Submissions.GetStepsAsync("s1", 4, Ct)).Select(s => s.Step));

        // Saving the same step again is allowed (a retry); an older one or one ahead of the journal is not.
        await Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(4, [44]), Ct);
        Assert.Equal([44], (await Submissions.GetCheckpointAsync("s1", Ct))!.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(3, [3]), Ct));
        await Assert.ThrowsAsync<InvalidOperationException>(() => Submissions.SaveCheckpointAsync("s1", new GeneratorCheckpoint(6, [6]), Ct));
        Assert.Equal([44], (await Submissions.GetCheckpointAsync("s1", Ct))!.State);
        Assert.Equal([5L], (await Submissions.GetStepsAsync("s1", 0, Ct)).Select(s => s.Step));
    }

    // ---- process chains ----

    [SkippableFact]
    public async Task Chain_counts_follow_status_changes()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("a", 6), Ct);
        await Submissions.CommitStepAsync("s2", Step(1), NewChains("b", 2), Ct);

        await Chains.UpdateAsync(new ProcessChainUpdate("a0") { Status = ProcessChainStatus.Running }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a1") { Status = ProcessChainStatus.Running }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a1") { Status = ProcessChainStatus.Success }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a2") { Status = ProcessChainStatus.Error }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a3") { Status = ProcessChainStatus.Cancelled }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a4") { Status = ProcessChainStatus.Success }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a4") { Status = ProcessChainStatus.Success }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("b0") { Status = ProcessChainStatus.Running }, Ct);

        var s1 = (await Submissions.GetAsync("s1", Ct))!;
        Assert.Equal((6, 1, 2, 1, 1), (s1.TotalProcessChains, s1.RunningProcessChains, s1.SucceededProcessChains,
            s1.FailedProcessChains, s1.CancelledProcessChains));

        var counts = await Chains.CountByStatusAsync("s1", Ct);
        Assert.Equal(new Dictionary<string, int>
        {
            [ProcessChainStatus.Registered] = 1, [ProcessChainStatus.Running] = 1, [ProcessChainStatus.Success] = 2,
            [ProcessChainStatus.Error] = 1, [ProcessChainStatus.Cancelled] = 1,
        }, counts.OrderBy(kv => kv.Key).ToDictionary());

        var all = await Chains.CountByStatusAsync(null, Ct);
        Assert.Equal(2, all[ProcessChainStatus.Registered]);
        Assert.Equal(2, all[ProcessChainStatus.Running]);
        Assert.Equal(8, all.Values.Sum());

        // Statuses that no chain has any more are left out.
        await Chains.UpdateAsync(new ProcessChainUpdate("b1") { Status = ProcessChainStatus.Running }, Ct);
        Assert.Equal([ProcessChainStatus.Running], (await Chains.CountByStatusAsync("s2", Ct)).Keys);

        var listed = (await Submissions.ListAsync(0, 10, null, Ct)).Items;
        Assert.Equal((2, 2), (listed[0].TotalProcessChains, listed[0].RunningProcessChains));
        Assert.Equal((6, 1), (listed[1].TotalProcessChains, listed[1].RunningProcessChains));
    }

    [SkippableFact]
    public async Task Chain_update_sets_given_fields_and_leaves_null_fields_alone()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 1), Ct);

        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "agent-1", RunNumber = 1,
        }, Ct));
        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0") { ErrorMessage = "first try failed" }, Ct));
        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Success, EndTime = T0.AddSeconds(3), Results = ResultFiles("/out/1", "/out/2"),
        }, Ct));

        var c = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal(ProcessChainStatus.Success, c.Chain.Status);
        Assert.Equal(T0, c.Chain.StartTime);
        Assert.Equal(T0.AddSeconds(3), c.Chain.EndTime);
        Assert.Equal(["/out/1", "/out/2"], c.Chain.Results!["o"]);
        Assert.Equal("first try failed", c.Chain.ErrorMessage);
        Assert.Equal("agent-1", c.AgentId);
        Assert.Equal(1, c.RunNumber);
        Assert.Equal(Json(NewChain("c0").Executables), Json(c.Chain.Executables));
    }

    [SkippableFact]
    public async Task Chain_update_with_reset_clears_the_run_state_first()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Error, StartTime = T0, EndTime = T0.AddSeconds(1), AgentId = "gone",
            RunNumber = 2, Results = ResultFiles("/partial"), ErrorMessage = "agent lost",
        }, Ct);

        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Reset = true, Status = ProcessChainStatus.Registered }, Ct));
        var c = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal(ProcessChainStatus.Registered, c.Chain.Status);
        Assert.Null(c.Chain.StartTime);
        Assert.Null(c.Chain.EndTime);
        Assert.Null(c.Chain.Results);
        Assert.Null(c.Chain.ErrorMessage);
        Assert.Null(c.AgentId);
        Assert.Equal(2, c.RunNumber);

        // Values given together with Reset are applied after clearing.
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { AgentId = "a", EndTime = T0 }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Reset = true, Status = ProcessChainStatus.Running, StartTime = T0.AddMinutes(1), AgentId = "b", RunNumber = 3,
        }, Ct);
        c = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Running, T0.AddMinutes(1), "b", 3), (c.Chain.Status, c.Chain.StartTime, c.AgentId, c.RunNumber));
        Assert.Null(c.Chain.EndTime);

        Assert.Equal(1, (await Chains.CountByStatusAsync("s1", Ct))[ProcessChainStatus.Running]);
    }

    // ---- runs (Steep 6.5) ----

    [SkippableFact]
    public async Task Each_start_is_a_run_that_ends_with_the_chain()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        Assert.Empty(await Chains.ListRunsAsync("c0", Ct));

        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "a1", RunNumber = 1 }, Ct);
        var running = Assert.Single(await Chains.ListRunsAsync("c0", Ct));
        Assert.Equal(new ProcessChainRun(1, "a1", T0, null, ProcessChainStatus.Running, null), running);

        // a failed run, then the chain is registered again (a retry) and runs a second time, elsewhere
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Error, EndTime = T0.AddSeconds(2), ErrorMessage = "exit code 127" }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Registered, Reset = true }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0.AddSeconds(5), AgentId = "a2", RunNumber = 2 }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Success, EndTime = T0.AddSeconds(9), Results = ResultFiles("/out") }, Ct);

        var runs = await Chains.ListRunsAsync("c0", Ct);
        Assert.Equal(
        [
            new ProcessChainRun(1, "a1", T0, T0.AddSeconds(2), ProcessChainStatus.Error, "exit code 127"),
            new ProcessChainRun(2, "a2", T0.AddSeconds(5), T0.AddSeconds(9), ProcessChainStatus.Success, null),
        ], runs);
        Assert.Equal(runs[0], await Chains.GetRunAsync("c0", 1, Ct));
        Assert.Equal(runs[1], await Chains.GetRunAsync("c0", 2, Ct));
        Assert.Null(await Chains.GetRunAsync("c0", 3, Ct));
        Assert.Null(await Chains.GetRunAsync("c0", 0, Ct));
        Assert.Equal(2, (await Chains.GetAsync("c0", Ct))!.RunNumber);
        // the other chain never ran, an unknown one has none
        Assert.Empty(await Chains.ListRunsAsync("c1", Ct));
        Assert.Empty(await Chains.ListRunsAsync("nope", Ct));
        Assert.Null(await Chains.GetRunAsync("nope", 1, Ct));
    }

    [SkippableFact]
    public async Task An_end_bound_to_a_run_the_chain_has_left_changes_nothing()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 1), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "a1", RunNumber = 1 }, Ct);
        // run 1 is requeued (its agent was taken for gone) and the chain starts again elsewhere as run 2
        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Registered, Reset = true, InRun = 1 }, Ct));
        // the end of run 1 arrives late: neither the chain, while REGISTERED, nor its runs change
        Assert.False(await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Success, EndTime = T0.AddSeconds(3), Results = ResultFiles("/late"), InRun = 1,
        }, Ct));
        var c = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Registered, (string?)null, (DateTimeOffset?)null, 1), (c.Chain.Status, c.AgentId, c.Chain.EndTime, c.RunNumber));
        Assert.Null(c.Chain.Results);
        // nor once run 2 is under way
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0.AddSeconds(5), AgentId = "a2", RunNumber = 2 }, Ct);
        Assert.False(await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Success, EndTime = T0.AddSeconds(6), InRun = 1 }, Ct));
        Assert.False(await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Registered, Reset = true, InRun = 1 }, Ct));
        c = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Running, "a2", 2), (c.Chain.Status, c.AgentId, c.RunNumber));
        Assert.Equal(ProcessChainStatus.Running, (await Chains.GetRunAsync("c0", 2, Ct))!.Status);
        Assert.Equal(1, (await Chains.CountByStatusAsync("s1", Ct))[ProcessChainStatus.Running]);

        // the end of run 2 is made
        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Success, EndTime = T0.AddSeconds(9), InRun = 2 }, Ct));
        c = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Success, "a2", T0.AddSeconds(9)), (c.Chain.Status, c.AgentId, c.Chain.EndTime));
        Assert.Equal(
        [
            new ProcessChainRun(1, "a1", T0, null, ProcessChainStatus.Error, RunOutcome.Interrupted),
            new ProcessChainRun(2, "a2", T0.AddSeconds(5), T0.AddSeconds(9), ProcessChainStatus.Success, null),
        ], await Chains.ListRunsAsync("c0", Ct));
    }

    [SkippableFact]
    public async Task A_short_run_written_once_with_its_start_and_end_is_a_finished_run_and_counts_as_finished()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        // a chain that ended before its RUNNING was written: REGISTERED straight to SUCCESS, in one update
        Assert.True(await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Success, StartTime = T0, AgentId = "a1", RunNumber = 1, EndTime = T0.AddMilliseconds(7),
            Results = ResultFiles("/out"),
        }, Ct));

        var c0 = (await Chains.GetAsync("c0", Ct))!;
        Assert.Equal((ProcessChainStatus.Success, T0, T0.AddMilliseconds(7), "a1", 1),
            (c0.Chain.Status, c0.Chain.StartTime, c0.Chain.EndTime, c0.AgentId, c0.RunNumber));
        Assert.Equal(new ProcessChainRun(1, "a1", T0, T0.AddMilliseconds(7), ProcessChainStatus.Success, null), Assert.Single(await Chains.ListRunsAsync("c0", Ct)));
        Assert.Equal(new Dictionary<string, int> { [ProcessChainStatus.Registered] = 1, [ProcessChainStatus.Success] = 1 },
            (await Chains.CountByStatusAsync("s1", Ct)).OrderBy(kv => kv.Key).ToDictionary());
        var s1 = (await Submissions.GetAsync("s1", Ct))!;
        Assert.Equal((2, 0, 1), (s1.TotalProcessChains, s1.RunningProcessChains, s1.SucceededProcessChains));

        // a failed short run, registered again, then a second short run: two finished runs, nothing left open
        await Chains.UpdateAsync(new ProcessChainUpdate("c1")
        {
            Status = ProcessChainStatus.Error, StartTime = T0, AgentId = "a1", RunNumber = 1, EndTime = T0.AddSeconds(1), ErrorMessage = "exit code 1",
        }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Registered, Reset = true }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1")
        {
            Status = ProcessChainStatus.Success, StartTime = T0.AddSeconds(5), AgentId = "a2", RunNumber = 2, EndTime = T0.AddSeconds(6),
        }, Ct);
        Assert.Equal(
        [
            new ProcessChainRun(1, "a1", T0, T0.AddSeconds(1), ProcessChainStatus.Error, "exit code 1"),
            new ProcessChainRun(2, "a2", T0.AddSeconds(5), T0.AddSeconds(6), ProcessChainStatus.Success, null),
        ], await Chains.ListRunsAsync("c1", Ct));
        Assert.Equal(2, (await Chains.CountByStatusAsync("s1", Ct))[ProcessChainStatus.Success]);
    }

    [SkippableFact]
    public async Task A_run_cut_short_by_a_crash_ends_as_interrupted_and_the_resumed_chain_gets_a_new_run()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "a1", RunNumber = 1 }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "a2", RunNumber = 1 }, Ct);

        // what the host does after a restart with the chains that were RUNNING
        await Chains.UpdateManyAsync(
        [
            new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Registered, Reset = true },
            new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Registered, Reset = true },
        ], Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0.AddMinutes(1), AgentId = "a3", RunNumber = 2 }, Ct);

        var runs = await Chains.ListRunsAsync("c0", Ct);
        Assert.Equal(2, runs.Count);
        Assert.Equal((1, "a1", T0, (DateTimeOffset?)null, ProcessChainStatus.Error), (runs[0].RunNumber, runs[0].AgentId, runs[0].StartTime, runs[0].EndTime, runs[0].Status));
        Assert.Contains("interrupted", runs[0].ErrorMessage);
        Assert.Equal(new ProcessChainRun(2, "a3", T0.AddMinutes(1), null, ProcessChainStatus.Running, null), runs[1]);
        Assert.Equal(ProcessChainStatus.Error, Assert.Single(await Chains.ListRunsAsync("c1", Ct)).Status);
    }

    [SkippableFact]
    public async Task A_start_that_comes_with_the_end_is_recorded_once_and_cancelling_a_waiting_chain_leaves_its_runs_alone()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 1), Ct);
        // the grain repeats the start with the end when the RUNNING write failed
        await Chains.UpdateAsync(new ProcessChainUpdate("c0")
        {
            Status = ProcessChainStatus.Error, StartTime = T0, AgentId = "a1", RunNumber = 1, EndTime = T0.AddSeconds(1), ErrorMessage = "boom",
        }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "a1", RunNumber = 1 }, Ct);
        Assert.Equal(new ProcessChainRun(1, "a1", T0, T0.AddSeconds(1), ProcessChainStatus.Error, "boom"), Assert.Single(await Chains.ListRunsAsync("c0", Ct)));

        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Registered, Reset = true }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Cancelled, EndTime = T0.AddMinutes(1) }, Ct);
        Assert.Equal(ProcessChainStatus.Error, Assert.Single(await Chains.ListRunsAsync("c0", Ct)).Status);
        // an update of an unknown chain records no run
        Assert.False(await Chains.UpdateAsync(new ProcessChainUpdate("ghost") { Status = ProcessChainStatus.Running, StartTime = T0, RunNumber = 1 }, Ct));
        Assert.Empty(await Chains.ListRunsAsync("ghost", Ct));
    }

    // ---- search (Steep 6) ----

    private static readonly DateTimeOffset Day = new(2024, 3, 12, 9, 56, 55, TimeSpan.Zero);

    private IRegistrySearch Search => (IRegistrySearch)_store!;

    /// <summary>Two submissions and five chains with capabilities, statuses, errors and times to search in.</summary>
    private async Task AddSearchSamplesAsync()
    {
        await Submissions.AddAsync(NewSubmission("wfone") with { Name = "Docker Sleep", RequiredCapabilities = ["docker", "sleep"] }, Ct);
        await Submissions.AddAsync(NewSubmission("wftwo", SubmissionStatus.Error) with
        {
            Name = "Segmentation", RequiredCapabilities = ["highmemory"], ErrorMessage = "Process chain failed", StartTime = Day,
        }, Ct);
        await Submissions.CommitStepAsync("wftwo", Step(1),
        [
            NewChain("pcalpha", 1, "highmemory"), NewChain("pcbeta", 1, "docker"), NewChain("pcgamma", 1, "highmemory", "gpu"),
            NewChain("pcdelta", 1), NewChain("pcepsilon", 1, "docker"),
        ], Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("pcalpha")
        {
            Status = ProcessChainStatus.Error, StartTime = Day, EndTime = Day.AddMinutes(1), ErrorMessage = "exit code 127: filename not found",
        }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("pcbeta") { Status = ProcessChainStatus.Success, StartTime = Day.AddDays(1), EndTime = Day.AddDays(1) }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("pcgamma") { Status = ProcessChainStatus.Error, StartTime = Day.AddDays(-1), ErrorMessage = "Exit CODE 1" }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("pcepsilon") { Status = ProcessChainStatus.Running, StartTime = Day.AddDays(2) }, Ct);
    }

    private async Task<(string[] Ids, long? Workflows, long? Chains)> SearchAsync(string q, int offset = 0, int size = 50)
    {
        var r = await Search.SearchAsync(SearchQueryParser.Parse(q, TimeZoneInfo.Utc), offset, size, SearchCount.Exact, Ct);
        // the page agrees with the meaning of the query in code
        var query = SearchQueryParser.Parse(q, TimeZoneInfo.Utc);
        Assert.All(r.Items, h => Assert.True(SearchMatcher.IsMatch(query, h), $"{h.Id} does not match '{q}'"));
        return (r.Items.Select(h => h.Id).ToArray(), r.Workflows, r.ProcessChains);
    }

    [SkippableFact]
    public async Task Search_finds_terms_in_any_attribute_workflows_first_then_newest_first_with_counts()
    {
        await AddSearchSamplesAsync();
        Expect(["wfone", "pcepsilon", "pcbeta"], 1, 2, await SearchAsync("DOCKER"));
        // any of several terms; part of a word; error messages and names too
        Expect(["wftwo", "pcgamma", "pcalpha"], 1, 2, await SearchAsync("highmem"));
        Expect(["pcgamma", "pcalpha"], 0, 2, await SearchAsync("\"exit code\""));
        Expect(["wftwo", "wfone", "pcalpha"], 2, 1, await SearchAsync("sleep filename segment"));
        // a status is found whole
        Expect(["wftwo", "pcgamma", "pcalpha"], 1, 2, await SearchAsync("error"));
        Expect(["pcgamma"], 0, 1, await SearchAsync("pcgam"));
        // short terms, below what a trigram index holds, are found too
        Expect(["pcgamma"], 0, 1, await SearchAsync("ga"));
        Expect([], 0, 0, await SearchAsync("nothing-like-this"));
        Expect([], 0, 0, await SearchAsync(""));
    }

    [SkippableFact]
    public async Task Search_locators_types_and_filters_narrow_the_results()
    {
        await AddSearchSamplesAsync();
        Expect(["pcgamma", "pcalpha"], 0, 2, await SearchAsync("code in:error"));
        Expect(["wftwo", "pcgamma", "pcalpha"], 1, 2, await SearchAsync("highmemory in:requiredcapabilities"));
        Expect(["wftwo"], 1, 0, await SearchAsync("highmemory in:rcs is:workflow"));
        Expect(["pcgamma", "pcalpha"], 0, 2, await SearchAsync("highmemory is:processchain"));
        Expect(["pcalpha"], 0, 1, await SearchAsync("error:127 is:processchain"));
        Expect(["pcgamma"], 0, 1, await SearchAsync("rcs:highmemory rcs:gpu"));
        Expect(["pcgamma", "pcalpha"], 0, 2, await SearchAsync("highmemory status:error is:processchain"));
        Expect(["wftwo", "pcgamma", "pcalpha"], 1, 2, await SearchAsync("status:ERROR"));
        Expect(["wfone"], 1, 0, await SearchAsync("name:docker"));
        Expect(["pcdelta"], 0, 1, await SearchAsync("id:delta"));
        Expect(["pcepsilon"], 0, 1, await SearchAsync("docker status:running"));
        Expect(["pcepsilon", "pcdelta", "pcgamma", "pcbeta", "pcalpha"], 0, 5, await SearchAsync("is:processchain"));
    }

    [SkippableFact]
    public async Task Search_compares_dates_date_times_and_ranges_with_start_and_end()
    {
        await AddSearchSamplesAsync();
        Expect(["wftwo", "pcalpha"], 1, 1, await SearchAsync("2024-03-12"));
        Expect(["pcgamma"], 0, 1, await SearchAsync("<2024-03-12"));
        Expect(["wftwo", "pcgamma", "pcalpha"], 1, 2, await SearchAsync("<=2024-03-12"));
        Expect(["pcepsilon", "pcbeta"], 0, 2, await SearchAsync(">2024-03-12"));
        Expect(["pcalpha"], 0, 1, await SearchAsync("end:2024-03-12T09:57"));
        Expect(["wftwo", "pcalpha"], 1, 1, await SearchAsync("start:2024-03-12T09:56:55"));
        Expect(["pcbeta", "pcalpha"], 0, 2, await SearchAsync("start:2024-03-12..2024-03-13 is:processchain"));
        Expect(["pcbeta"], 0, 1, await SearchAsync("docker start:>=2024-03-13 end:<2024-03-14"));
    }

    [SkippableFact]
    public async Task Search_pages_run_across_both_types()
    {
        await AddSearchSamplesAsync();
        // error matches wftwo, pcgamma, pcalpha
        Expect(["wftwo", "pcgamma"], 1, 2, await SearchAsync("error", 0, 2));
        Expect(["pcgamma", "pcalpha"], 1, 2, await SearchAsync("error", 1, 2));
        Expect(["pcalpha"], 1, 2, await SearchAsync("error", 2, 2));
        Expect([], 1, 2, await SearchAsync("error", 3, 2));
        var uncounted = await Search.SearchAsync(SearchQueryParser.Parse("error", TimeZoneInfo.Utc), 0, 1, SearchCount.None, Ct);
        Assert.Equal(("wftwo", (long?)null, (long?)null), (Assert.Single(uncounted.Items).Id, uncounted.Workflows, uncounted.ProcessChains));
    }

    [SkippableFact]
    public async Task Search_sees_error_messages_set_after_registration_and_cleared_by_a_reset()
    {
        await AddSearchSamplesAsync();
        await Chains.UpdateAsync(new ProcessChainUpdate("pcdelta") { Status = ProcessChainStatus.Error, ErrorMessage = "out of quota" }, Ct);
        Expect(["pcdelta"], 0, 1, await SearchAsync("quota"));
        await Chains.UpdateAsync(new ProcessChainUpdate("pcdelta") { Status = ProcessChainStatus.Registered, Reset = true }, Ct);
        Expect([], 0, 0, await SearchAsync("quota"));
        var hit = (await Search.SearchAsync(SearchQueryParser.Parse("127", TimeZoneInfo.Utc), 0, 10, SearchCount.None, Ct)).Items.Single();
        Assert.Equal((SearchTypes.ProcessChain, ProcessChainStatus.Error, "exit code 127: filename not found", Day, Day.AddMinutes(1)),
            (hit.Type, hit.Status, hit.ErrorMessage, hit.StartTime, hit.EndTime));
        Assert.Equal(["highmemory"], hit.RequiredCapabilities);
    }

    private static void Expect(string[] ids, long workflows, long chains, (string[] Ids, long? Workflows, long? Chains) actual) =>
        Assert.Equal((string.Join(", ", ids), workflows, chains), (string.Join(", ", actual.Ids), actual.Workflows ?? -1, actual.Chains ?? -1));

    [SkippableFact]
    public async Task Update_many_applies_all_updates()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 4), Ct);

        await Chains.UpdateManyAsync(
        [
            new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, AgentId = "a" },
            new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Running, AgentId = "a" },
            new ProcessChainUpdate("unknown") { Status = ProcessChainStatus.Running },
            new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Cancelled },
        ], Ct);

        Assert.Equal(["c0"], (await Chains.ListByStatusAsync(ProcessChainStatus.Running, Ct)).Select(c => c.Chain.Id));
        var c1 = (await Chains.GetAsync("c1", Ct))!;
        Assert.Equal((ProcessChainStatus.Cancelled, "a"), (c1.Chain.Status, c1.AgentId));
        Assert.Equal(1, (await Submissions.GetAsync("s1", Ct))!.CancelledProcessChains);
    }

    [SkippableFact]
    public async Task List_by_status_is_in_registration_order_across_submissions()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        await Submissions.CommitStepAsync("s2", Step(1), [NewChain("b0"), NewChain("b1")], Ct);
        await Submissions.CommitStepAsync("s1", Step(1), [NewChain("a0"), NewChain("a1")], Ct);
        await Submissions.CommitStepAsync("s2", Step(2), [NewChain("b2")], Ct);
        await Submissions.CommitStepAsync("s1", Step(2), [NewChain("a2")], Ct);

        // A chain sent back to REGISTERED keeps its place in the queue.
        await Chains.UpdateAsync(new ProcessChainUpdate("b0") { Status = ProcessChainStatus.Running }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a1") { Status = ProcessChainStatus.Running }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("b0") { Status = ProcessChainStatus.Registered, Reset = true }, Ct);

        var registered = await Chains.ListByStatusAsync(ProcessChainStatus.Registered, Ct);
        Assert.Equal(["b0", "b1", "a0", "b2", "a2"], registered.Select(c => c.Chain.Id));
        Assert.Equal(registered.Select(c => c.Sequence).Order(), registered.Select(c => c.Sequence));
        Assert.Equal(["a1"], (await Chains.ListByStatusAsync(ProcessChainStatus.Running, Ct)).Select(c => c.Chain.Id));
        Assert.Empty(await Chains.ListByStatusAsync(ProcessChainStatus.Success, Ct));
    }

    [SkippableFact]
    public async Task List_by_submission_filters_by_status()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("a", 4), Ct);
        await Submissions.CommitStepAsync("s2", Step(1), NewChains("b", 2), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a1") { Status = ProcessChainStatus.Success }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a3") { Status = ProcessChainStatus.Success }, Ct);

        Assert.Equal(["a0", "a1", "a2", "a3"], (await Chains.ListBySubmissionAsync("s1", null, Ct)).Select(c => c.Chain.Id));
        Assert.Equal(["a1", "a3"], (await Chains.ListBySubmissionAsync("s1", ProcessChainStatus.Success, Ct)).Select(c => c.Chain.Id));
        Assert.Equal(["a0", "a2"], (await Chains.ListBySubmissionAsync("s1", ProcessChainStatus.Registered, Ct)).Select(c => c.Chain.Id));
        Assert.Empty(await Chains.ListBySubmissionAsync("s2", ProcessChainStatus.Success, Ct));
    }

    [SkippableFact]
    public async Task List_pages_filters_and_orders_chains()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("a", 5), Ct);
        await Submissions.CommitStepAsync("s2", Step(1), NewChains("b", 3), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("a4") { Status = ProcessChainStatus.Error }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("b0") { Status = ProcessChainStatus.Error }, Ct);

        await AssertPage(null, null, 0, 3, false, ["a0", "a1", "a2"], 8);
        await AssertPage(null, null, 0, 3, true, ["b2", "b1", "b0"], 8);
        await AssertPage(null, null, 6, 3, false, ["b1", "b2"], 8);
        await AssertPage("s1", null, 1, 2, false, ["a1", "a2"], 5);
        await AssertPage("s1", null, 0, 2, true, ["a4", "a3"], 5);
        await AssertPage(null, ProcessChainStatus.Error, 0, 10, false, ["a4", "b0"], 2);
        await AssertPage(null, ProcessChainStatus.Error, 0, 1, true, ["b0"], 2);
        await AssertPage("s2", ProcessChainStatus.Registered, 0, 10, false, ["b1", "b2"], 2);
        await AssertPage("s2", ProcessChainStatus.Success, 0, 10, false, [], 0);
        await AssertPage("s1", null, 10, 10, false, [], 5);

        async Task AssertPage(string? submissionId, string? status, int offset, int size, bool newestFirst, string[] ids, int total)
        {
            var page = await Chains.ListAsync(submissionId, status, offset, size, newestFirst, Ct);
            Assert.Equal(ids, page.Items.Select(c => c.Chain.Id));
            Assert.Equal(total, page.Total);
        }
    }

    [SkippableFact]
    public async Task Chain_results_and_error_message_round_trip()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        var results = new Dictionary<string, IReadOnlyList<string>>
        {
            ["o1"] = ["/out/ä ö/file 1.txt", "/out/\"quoted\".txt"],
            ["o2"] = [],
        };
        const string error = "Exit code 2\nstderr: 'x' not found — line 3";
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Success, Results = results }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Error, ErrorMessage = error }, Ct);

        var c0 = (await Chains.GetAsync("c0", Ct))!.Chain;
        Assert.Equal(results["o1"], c0.Results!["o1"]);
        Assert.Empty(c0.Results["o2"]);
        Assert.Null(c0.ErrorMessage);
        var c1 = (await Chains.ListBySubmissionAsync("s1", ProcessChainStatus.Error, Ct)).Single().Chain;
        Assert.Equal(error, c1.ErrorMessage);
        Assert.Null(c1.Results);
    }

    [SkippableFact]
    public async Task Negative_paging_arguments_are_rejected()
    {
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Submissions.ListAsync(-1, 10, null, Ct));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => Chains.ListAsync(null, null, 0, -1, false, Ct));
    }

    // ---- Steep 6 fields (issue 15) ----

    [Fact]
    public async Task Source_round_trips_byte_for_byte_and_is_left_out_of_listings()
    {
        const string source = "api: 4.0.0\r\n# a comment  \r\nname: \"ä ö — 𝄞\"\t\nvars: []\nactions: []\n\n  ";
        await Submissions.AddAsync(NewSubmission("s1") with { Source = source }, Ct);
        await Submissions.AddAsync(NewSubmission("s2"), Ct);

        Assert.Equal(source, (await Submissions.GetAsync("s1", Ct))!.Source);
        Assert.Null((await Submissions.GetAsync("s2", Ct))!.Source);
        Assert.All((await Submissions.ListAsync(0, 10, null, Ct)).Items, s => Assert.Null(s.Source));
    }

    [Fact]
    public async Task Name_and_priority_come_from_the_workflow_unless_set_and_survive_listings()
    {
        var fromWorkflow = NewSubmission("s1") with { Workflow = NewSubmission("s1").Workflow! with { Priority = 7 } };
        await Submissions.AddAsync(fromWorkflow, Ct);
        await Submissions.AddAsync(NewSubmission("s2") with { Name = "renamed", Priority = -3 }, Ct);
        await Submissions.AddAsync(NewSubmission("s3"), Ct);

        var s1 = (await Submissions.GetAsync("s1", Ct))!;
        Assert.Equal(("copy s1", 7), (s1.Name, s1.Priority));
        var s2 = (await Submissions.GetAsync("s2", Ct))!;
        Assert.Equal(("renamed", -3), (s2.Name, s2.Priority));
        Assert.Equal(0, (await Submissions.GetAsync("s3", Ct))!.Priority);

        var listed = (await Submissions.ListAsync(0, 10, null, Ct)).Items.ToDictionary(s => s.Id);
        Assert.Null(listed["s1"].Workflow);
        Assert.Equal(("copy s1", 7), (listed["s1"].Name, listed["s1"].Priority));
        Assert.Equal(("renamed", -3), (listed["s2"].Name, listed["s2"].Priority));
        Assert.Equal(("copy s3", 0), (listed["s3"].Name, listed["s3"].Priority));
    }

    [Fact]
    public async Task Submission_priority_changes_the_submission_and_its_unfinished_chains_only()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.AddAsync(NewSubmission("other"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 5), Ct);
        await Submissions.CommitStepAsync("other", Step(1), NewChains("o", 1), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = ProcessChainStatus.Running }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c2") { Status = StoreStatuses.Paused }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c3") { Status = ProcessChainStatus.Success }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c4") { Status = ProcessChainStatus.Cancelled }, Ct);

        Assert.True(await Submissions.SetSubmissionPriorityAsync("s1", 42, Ct));
        Assert.False(await Submissions.SetSubmissionPriorityAsync("nope", 42, Ct));

        Assert.Equal(42, (await Submissions.GetAsync("s1", Ct))!.Priority);
        Assert.Equal(42, (await Submissions.ListAsync(0, 10, null, Ct)).Items.Single(s => s.Id == "s1").Priority);
        var priorities = (await Chains.ListBySubmissionAsync("s1", null, Ct)).ToDictionary(c => c.Chain.Id, c => c.Chain.Priority);
        Assert.Equal(42, priorities["c0"]);
        Assert.Equal(42, priorities["c1"]);
        Assert.Equal(42, priorities["c2"]);
        Assert.Equal(0, priorities["c3"]);
        Assert.Equal(0, priorities["c4"]);
        Assert.Equal(0, (await Chains.GetAsync("o0", Ct))!.Chain.Priority);
    }

    [Fact]
    public async Task Chain_priority_changes_one_chain()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 2), Ct);
        Assert.True(await Chains.SetProcessChainPriorityAsync("c1", 9, Ct));
        Assert.False(await Chains.SetProcessChainPriorityAsync("nope", 9, Ct));
        Assert.Equal(9, (await Chains.GetAsync("c1", Ct))!.Chain.Priority);
        Assert.Equal(9, (await Chains.ListAsync("s1", null, 0, 10, false, Ct)).Items.Single(c => c.Chain.Id == "c1").Chain.Priority);
        Assert.Equal(0, (await Chains.GetAsync("c0", Ct))!.Chain.Priority);
    }

    [Fact]
    public async Task Paused_chains_are_counted()
    {
        await Submissions.AddAsync(NewSubmission("s1"), Ct);
        await Submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = StoreStatuses.Paused }, Ct);
        await Chains.UpdateAsync(new ProcessChainUpdate("c1") { Status = StoreStatuses.Paused }, Ct);
        var s = (await Submissions.GetAsync("s1", Ct))!;
        Assert.Equal((2, 3), (s.PausedProcessChains, s.TotalProcessChains));
        Assert.Equal(2, (await Submissions.ListAsync(0, 1, null, Ct)).Items[0].PausedProcessChains);
    }
}
