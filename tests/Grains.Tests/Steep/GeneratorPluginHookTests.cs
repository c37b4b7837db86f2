using Steep.Grains.Placement;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Orleans.Serialization;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Persistence.InMemory;

using Steep.Grains.Tests.Support;

namespace Steep.Grains.Tests.Steep;

/// <summary>
/// The submission grain with generator plugins (<see cref="IGeneratorPlugins"/>): adapted chains are what is stored
/// and run, a throwing adapter fails the step's chains and not the silo, a consistency checker splits chains.
/// </summary>
public sealed class GeneratorPluginHookTests : IAsyncLifetime
{
    private readonly InMemoryStore _store = new();
    private readonly RecordingExecutor _executor = new();
    private readonly FakePlugins _plugins = new();
    private IHost _silo = null!;
    private IGrainFactory _grains = null!;

    private static readonly IReadOnlyList<Service> Services = TestServices.All;

    private const string Sequence = """
        api: 4.0.0
        vars:
          - {id: a, value: a.txt}
        actions:
          - {type: execute, service: cp, inputs: [{id: i, var: a}], outputs: [{id: o, var: b}]}
          - {type: execute, service: cp, inputs: [{id: i, var: b}], outputs: [{id: o, var: c}]}
        """;

    public async Task InitializeAsync()
    {
        var services = new SteepServices(_store, _store, Services, new SteepPaths("/tmp/t", "/tmp/o", "/tmp/l"), _executor, new EventHub(), TimeProvider.System)
        {
            GeneratorPlugins = _plugins,
        };
        _silo = await TestSilo.StartAsync(services, "plugins", s => s.AddSingleton<SubmissionIntake>());
        _grains = _silo.Services.GetRequiredService<IGrainFactory>();
        await _grains.GetGrain<IAgentGrain>("a1").RegisterAsync([]);
    }

    public async Task DisposeAsync()
    {
        await _silo.StopAsync();
        _silo.Dispose();
    }

    [Fact]
    public async Task The_adapted_chains_are_stored_and_run()
    {
        _plugins.Adapt = chains => chains.Select(c => c with { Priority = 7 }).ToList();
        var s = await RunAsync(Sequence);
        Assert.Equal(SubmissionStatus.Success, s.Status);
        var ran = Assert.Single(_executor.Ran);
        Assert.Equal(7, ran.Priority);
        Assert.Equal(7, (await ((Persistence.IProcessChainStore)_store).GetAsync(ran.Id, default))!.Chain.Priority);
    }

    [Fact]
    public async Task A_throwing_adapter_fails_the_chains_of_its_step_with_its_message()
    {
        _plugins.Adapt = _ => throw new InvalidOperationException("process chain adapter plugin 'bad' failed: no quota");
        var s = await RunAsync(Sequence);
        Assert.Equal(SubmissionStatus.Error, s.Status);
        Assert.Contains("process chain adapter plugin 'bad' failed: no quota", s.ErrorMessage);
        Assert.Empty(_executor.Ran);
        var chain = Assert.Single(await ((Persistence.IProcessChainStore)_store).ListBySubmissionAsync(s.Id, null, default));
        Assert.Equal(ProcessChainStatus.Error, chain.Chain.Status);
        Assert.Equal("process chain adapter plugin 'bad' failed: no quota", chain.Chain.ErrorMessage);

        // the silo goes on: the next submission (the adapter fixed) succeeds
        _plugins.Adapt = null;
        Assert.Equal(SubmissionStatus.Success, (await RunAsync(Sequence)).Status);
    }

    [Fact]
    public async Task A_consistency_checker_splits_a_sequence_into_chains()
    {
        _plugins.Check = (_, _) => false;
        var s = await RunAsync(Sequence);
        Assert.Equal(SubmissionStatus.Success, s.Status);
        Assert.Equal(2, s.SucceededProcessChains);
        Assert.All(_executor.Ran, c => Assert.Single(c.Executables));
    }

    private async Task<Submission> RunAsync(string yaml)
    {
        var id = UniqueIds.Next(TimeProvider.System);
        await ((Persistence.ISubmissionStore)_store).AddAsync(
            new Submission { Id = id, Workflow = ModelReader.ReadWorkflow(yaml, "wf"), Status = SubmissionStatus.Accepted }, default);
        await _grains.GetGrain<ISubmissionGrain>(id).StartAsync();
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            var s = await ((Persistence.ISubmissionStore)_store).GetAsync(id, default);
            if (s is not null && SubmissionStatus.IsFinal(s.Status) && s.EndTime is not null) return s;
            Assert.True(DateTime.UtcNow < until, $"submission still {s?.Status}");
            await Task.Delay(10);
        }
    }


    private sealed class FakePlugins : IGeneratorPlugins
    {
        public Func<IReadOnlyList<ProcessChain>, IReadOnlyList<ProcessChain>>? Adapt { get; set; }
        public Func<IReadOnlyList<Executable>, ExecuteAction, bool>? Check { get; set; }

        public bool HasAdapters => Adapt is not null;

        public Func<IReadOnlyList<Executable>, ExecuteAction, bool>? ConsistencyCheckFor(Workflow workflow) => Check;

        public Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> chains, Workflow workflow, CancellationToken ct) =>
            Task.FromResult(Adapt!(chains));
    }

    private sealed class RecordingExecutor : IProcessChainExecutor
    {
        public ConcurrentBag<ProcessChain> Ran { get; } = new();

        public async Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct)
        {
            Ran.Add(chain);
            await Task.Yield();
            var results = chain.Executables.SelectMany(e => e.Arguments).Where(a => a.Type == "output")
                .ToDictionary(a => a.Variable.Id, a => (IReadOnlyList<string>)[a.Variable.Value]);
            return new ProcessChainOutcome(ProcessChainStatus.Success, results, null, chain.Executables.Select(e => e.Id).ToList());
        }
    }
}
