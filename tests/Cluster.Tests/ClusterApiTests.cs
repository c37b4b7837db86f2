using Steep.Api;
using Steep.Cluster.Tests.Support;
using Steep.Contracts;
using Steep.Grains;
using Steep.Persistence.Tests;

namespace Steep.Cluster.Tests;

/// <summary>
/// Two silos in this process, started as <c>steep serve</c> starts them: agents and silo-bound grains stay on the silo
/// their key names, and each silo answers for the whole cluster (agents, logs in another silo's data directory, events).
/// </summary>
public sealed class ClusterApiTests(PostgresDatabase database) : IClassFixture<PostgresDatabase>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _clusterId = "api-" + Guid.NewGuid().ToString("N")[..8];

    [SkippableFact]
    public async Task A_silo_bound_grain_is_activated_on_its_silo_from_anywhere_and_again_after_it_was_collected()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var silos = await TwoSilos.StartAsync(database.ConnectionString, _clusterId);
        var (a, b) = silos;

        // first called from a, placed on b (its key names b) — PreferLocalPlacement would have put it on a
        var grain = a.Grains.GetGrain<IBoundGrain>("b-7");
        Assert.Equal("b", await grain.WhereAsync());
        for (int i = 0; i < 3; i++)
        {
            await grain.LeaveAsync();
            await Task.Delay(200);
            Assert.Equal("b", await a.Grains.GetGrain<IBoundGrain>("b-7").WhereAsync());
        }
        Assert.Equal("a", await b.Grains.GetGrain<IBoundGrain>("a-3").WhereAsync());
        // the agents registered by each silo live there, whoever asks
        Assert.Equal("b", (await a.Grains.GetGrain<IAgentGrain>("b-1").GetInfoAsync())?.Silo);
        Assert.Equal("a", (await b.Grains.GetGrain<IAgentGrain>("a-1").GetInfoAsync())?.Silo);
    }

    [SkippableFact]
    public async Task A_silo_bound_grain_of_a_silo_that_left_is_refused_not_activated_elsewhere()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var silos = await TwoSilos.StartAsync(database.ConnectionString, _clusterId);
        var (a, b) = silos;
        await b.StopAsync();
        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 1, "silo a no longer counts silo b");

        // an agent of b activated on a would run b's chains on a's machine
        var e = await Assert.ThrowsAnyAsync<Exception>(() => a.Grains.GetGrain<IBoundGrain>("b-9").WhereAsync());
        Assert.Contains("silo 'b'", e.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Each_silo_lists_the_agents_of_every_silo_with_their_silo_and_host()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var silos = await TwoSilos.StartAsync(database.ConnectionString, _clusterId);
        var (a, b) = silos;

        foreach (var silo in new[] { a, b })
        {
            // each silo registers its agents as it starts: give the later one a moment on a busy machine
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
            IReadOnlyList<Steep.Contracts.AgentInfo> agents;
            while (true)
            {
                agents = await ((ISteepInstance)silo.Steep).GetAgentsAsync(CancellationToken.None);
                if (agents.Count >= 2 || DateTime.UtcNow > deadline) break;
                await Task.Delay(100);
            }
            Assert.Equal(["a-1:a", "b-1:b"], agents.Select(x => $"{x.Id}:{x.Silo}"));
            Assert.All(agents, x => Assert.Equal(Environment.MachineName, x.Host));
        }
    }

    [SkippableFact]
    public async Task A_log_in_another_silos_data_directory_is_found_and_read_in_parts()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var silos = await TwoSilos.StartAsync(database.ConnectionString, _clusterId);
        var (a, b) = silos;
        // 2.5 MB: more than one part
        var content = new byte[SiloGrain.MaxChunk * 2 + SiloGrain.MaxChunk / 2];
        new Random(7).NextBytes(content);
        await File.WriteAllBytesAsync(Path.Combine(b.Steep.Services.Paths.LogPath, "chain-x.log"), content);

        var lookup = await ((ISteepInstance)a.Steep).FindLogOnOtherSilosAsync("chain-x.log", "b-1", CancellationToken.None);
        var log = lookup?.Log;
        Assert.NotNull(log);
        Assert.Equal(("b", content.Length), (log.Silo, log.Size));
        var read = new List<byte>();
        while (read.Count < content.Length)
        {
            var part = await log.ReadAsync(read.Count, int.MaxValue, CancellationToken.None);
            Assert.InRange(part.Length, 1, SiloGrain.MaxChunk);
            read.AddRange(part);
        }
        Assert.Equal(content, read.ToArray());
        // no such log anywhere; and names that are not a log file in the log folder are not read
        Assert.Null(await ((ISteepInstance)a.Steep).FindLogOnOtherSilosAsync("chain-y.log", "b-1", CancellationToken.None));
        Assert.Null(await b.Grains.GetGrain<ISiloGrain>("b").ReadLogAsync("../steep.lock", 0, 10));
    }

    [SkippableFact]
    public async Task The_log_of_a_silo_that_is_gone_gives_a_clear_reason()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var silos = await TwoSilos.StartAsync(database.ConnectionString, _clusterId);
        var (a, b) = silos;
        await b.StopAsync();
        await WaitUntil(async () => (await a.ActiveSilosAsync()).Count == 1, "silo a no longer counts silo b");

        var lookup = await ((ISteepInstance)a.Steep).FindLogOnOtherSilosAsync("chain-x.log", "b-1", CancellationToken.None);
        Assert.NotNull(lookup);
        Assert.Null(lookup.Log);
        Assert.Contains("silo 'b', which is not running", lookup.Unavailable, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Events_of_one_silo_reach_the_subscribers_of_the_other()
    {
        Skip.If(PostgresServer.Skipped, PostgresServer.SkipReason);
        await using var silos = await TwoSilos.StartAsync(database.ConnectionString, _clusterId);
        var (a, b) = silos;
        using var onA = a.Steep.Events.Subscribe();
        using var localOnA = a.Steep.Events.Subscribe(localOnly: true);

        var chain = new ProcessChainEvent("chain-on-b", "sub-1", "RUNNING", "b-1", null, null);
        var agent = new AgentEvent("b-1", "busy", "chain-on-b");
        b.Steep.Services.Events.ProcessChainChanged(chain);
        b.Steep.Services.Events.AgentChanged(agent);

        using var timeout = new CancellationTokenSource(Patience);
        var seen = new List<object>();
        while (!seen.Contains(agent)) seen.Add(await onA.Events.ReadAsync(timeout.Token));
        // delivered once and in order; nothing echoes back and forth (the agents' "registered" may still arrive)
        await Task.Delay(500);
        while (onA.Events.TryRead(out var more)) seen.Add(more);
        Assert.Equal(new object[] { chain, agent }, seen.Where(e => e is not AgentEvent { State: "registered" }));
        // what a silo counts of its own (metrics) leaves the other silo's events out
        var local = new List<object>();
        while (localOnA.Events.TryRead(out var e)) local.Add(e);
        Assert.DoesNotContain(chain, local);
        Assert.DoesNotContain(agent, local);
    }

    private static Task WaitUntil(Func<Task<bool>> condition, string what) => ClusterApi.WaitUntil(condition, Patience, what);
}
