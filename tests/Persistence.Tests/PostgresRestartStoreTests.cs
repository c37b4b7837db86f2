using System.Diagnostics;
using Steep.Core.Models;
using Steep.Persistence.Postgres;
using Xunit;
using Xunit.Abstractions;
using static Steep.Persistence.Tests.Samples;

namespace Steep.Persistence.Tests;

/// <summary>
/// The registry on a PostgreSQL server that is stopped and started again (a server of the test's own): calls made
/// while it is down wait for it and then succeed; a server that stays away longer than the retry budget is reported.
/// </summary>
public sealed class PostgresRestartStoreTests(ITestOutputHelper output) : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    private PostgresServer? _server;
    private string _connectionString = "";

    public async Task InitializeAsync()
    {
        if (PostgresServer.Skipped || !PostgresServer.CanStartOwn) return;
        _server = await PostgresServer.StartOwnAsync();
        _connectionString = await _server.CreateDatabaseAsync("restart");
    }

    public Task DisposeAsync() => Task.CompletedTask; // the server stops with the test process

    [SkippableFact]
    public async Task Calls_made_while_the_server_restarts_wait_for_it_and_succeed()
    {
        SkipUnlessOwnServer();
        await using var store = await PostgresStore.OpenAsync(_connectionString);
        ISubmissionStore submissions = store;
        IProcessChainStore chains = store;
        await submissions.AddAsync(NewSubmission("s1"), Ct);
        await submissions.CommitStepAsync("s1", Step(1), NewChains("c", 3), Ct);
        await chains.GetAsync("c0", Ct); // the pool holds connections that the restart breaks

        await _server!.StopAsync();
        var clock = Stopwatch.StartNew();
        var update = chains.UpdateAsync(new ProcessChainUpdate("c0") { Status = ProcessChainStatus.Running, StartTime = T0, AgentId = "a-1", RunNumber = 1 }, Ct);
        var add = submissions.AddAsync(NewSubmission("s2"), Ct);
        var step = submissions.CommitStepAsync("s1", Step(2), NewChains("d", 2), Ct);
        var read = chains.GetAsync("c1", Ct);
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.False(update.IsCompleted || add.IsCompleted || step.IsCompleted || read.IsCompleted, "a call ended while the server was down");
        await _server.StartAgainAsync();
        var back = clock.Elapsed;

        Assert.True(await update);
        await Task.WhenAll(add, step);
        Assert.NotNull(await read);
        output.WriteLine($"server down for {back.TotalSeconds:0.0} s; the calls made meanwhile completed {(clock.Elapsed - back).TotalSeconds:0.00} s after it was back");

        // each change is there once
        var running = await chains.GetAsync("c0", Ct);
        Assert.Equal(ProcessChainStatus.Running, running!.Chain.Status);
        Assert.Single(await chains.ListRunsAsync("c0", Ct));
        Assert.NotNull(await submissions.GetAsync("s2", Ct));
        Assert.Equal(5, (await submissions.GetAsync("s1", Ct))!.TotalProcessChains);
    }

    [SkippableFact]
    public async Task A_server_away_for_longer_than_the_budget_is_reported()
    {
        SkipUnlessOwnServer();
        await using var store = await PostgresStore.OpenAsync(_connectionString, "budget", Ct, new PostgresRetry(TimeSpan.FromSeconds(2)));
        await ((ISubmissionStore)store).AddAsync(NewSubmission("s1"), Ct);
        await _server!.StopAsync();
        try
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAnyAsync<Exception>(() => ((ISubmissionStore)store).GetAsync("s1", Ct));
            Assert.True(PostgresRetry.IsTransient(e), e.ToString());
            // it waited (pauses of 0.1 s, 0.2 s, … : a retry gives up when its next pause would overrun the budget, so the
            // wait ends somewhere below 2 s), and not much beyond the budget
            Assert.InRange(clock.Elapsed.TotalSeconds, 0.3, 10);
        }
        finally
        {
            await _server.StartAgainAsync();
        }
    }

    private void SkipUnlessOwnServer()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        Skip.IfNot(PostgresServer.CanStartOwn, "these tests stop a PostgreSQL server of their own and need the PostgreSQL 15 binaries");
    }
}
