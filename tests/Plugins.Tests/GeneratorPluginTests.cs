using Steep.Agent;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Plugins.Tests;

/// <summary>Consistency checkers inside the generator and process chain adapters in dependsOn order.</summary>
public sealed class GeneratorPluginTests
{
    private const string Services = """
        - id: cp
          name: cp
          description: copy
          path: cp
          runtime: other
          parameters:
            - {id: i, name: i, description: i, type: input, cardinality: 1..1, data_type: file}
            - {id: o, name: o, description: o, type: output, cardinality: 1..1, data_type: file}
        - id: special
          name: special
          description: copy, never in a chain with others
          path: cp
          runtime: other
          parameters:
            - {id: i, name: i, description: i, type: input, cardinality: 1..1, data_type: file}
            - {id: o, name: o, description: o, type: output, cardinality: 1..1, data_type: file}
        """;

    private const string Workflow = """
        api: 4.0.0
        vars:
          - {id: in, value: in.txt}
        actions:
          - {type: execute, service: cp, inputs: [{id: i, var: in}], outputs: [{id: o, var: a}]}
          - {type: execute, service: special, inputs: [{id: i, var: a}], outputs: [{id: o, var: b}]}
          - {type: execute, service: cp, inputs: [{id: i, var: b}], outputs: [{id: o, var: c}]}
        """;

    private sealed class NoSpecialJoins(List<string>? asked = null) : IProcessChainConsistencyChecker
    {
        public bool IsConsistent(IReadOnlyList<Executable> processChain, ExecuteAction action, Workflow workflow)
        {
            asked?.Add($"{action.Service} after {processChain.Count}");
            return action.Service != "special";
        }
    }

    private sealed class Throwing : IProcessChainConsistencyChecker
    {
        public bool IsConsistent(IReadOnlyList<Executable> processChain, ExecuteAction action, Workflow workflow) => throw new InvalidOperationException("oops");
    }

    private static ProcessChainGenerator Generator(Workflow workflow, params IProcessChainConsistencyChecker[] checkers)
    {
        var plugins = new GeneratorPlugins(checkers.Select((c, i) => new NamedPlugin<IProcessChainConsistencyChecker>("checker" + i, c)).ToList(), []);
        return new ProcessChainGenerator(workflow, ModelReader.ReadServices(Services, "services.yaml"), new GeneratorOptions
        {
            ConsistencyCheck = plugins.ConsistencyCheckFor(workflow),
        });
    }

    [Fact]
    public void Without_a_checker_a_sequence_is_one_chain()
    {
        var wf = ModelReader.ReadWorkflow(Workflow, "wf.yaml");
        var chains = new ProcessChainGenerator(wf, ModelReader.ReadServices(Services, "services.yaml")).Generate();
        Assert.Equal(3, Assert.Single(chains).Executables.Count);
    }

    [Fact]
    public void A_checker_that_refuses_an_action_starts_a_new_chain_for_it_once_it_is_ready()
    {
        var wf = ModelReader.ReadWorkflow(Workflow, "wf.yaml");
        var asked = new List<string>();
        var generator = Generator(wf, new NoSpecialJoins(asked));
        var first = Assert.Single(generator.Generate());
        Assert.Equal(["cp"], first.Executables.Select(e => e.ServiceId));
        Assert.Equal(["special after 1"], asked);

        var a = first.Executables[0].Arguments.Single(x => x.Type == ArgumentTypes.Output).Variable;
        var second = Assert.Single(generator.Generate(new Dictionary<string, IReadOnlyList<string>> { [a.Id] = [a.Value] }, [first.Executables[0].Id]));
        // the refused action starts the chain (it is not asked about then); the next one may join it
        Assert.Equal(["special", "cp"], second.Executables.Select(e => e.ServiceId));
        Assert.Equal(["special after 1", "cp after 1"], asked);
    }

    [Fact]
    public void A_throwing_checker_fails_the_step_naming_the_plugin()
    {
        var wf = ModelReader.ReadWorkflow(Workflow, "wf.yaml");
        var e = Assert.Throws<GeneratorException>(() => Generator(wf, new Throwing()).Generate());
        Assert.Contains("process chain consistency checker plugin 'checker0' failed on action", e.Message);
        Assert.EndsWith(": oops", e.Message);
    }

    [Fact]
    public async Task Process_chain_adapters_run_in_dependsOn_order_each_on_the_result_of_the_one_before()
    {
        using var dir = new PluginDir();
        dir.Write("SetOne.cs", """
            public sealed class SetOne : IProcessChainAdapter
            {
                public Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> chains, Workflow workflow, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<ProcessChain>>(chains.Select(c => c with { Priority = 1 }).ToList());
            }
            """);
        dir.Write("TimesTen.cs", """
            public sealed class TimesTen : IProcessChainAdapter
            {
                public Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> chains, Workflow workflow, CancellationToken ct) =>
                    Task.FromResult<IReadOnlyList<ProcessChain>>(chains.Select(c => c with { Priority = (c.Priority ?? 0) * 10 }).ToList());
            }
            """);
        // listed first, but runs second
        dir.Write("plugins.yaml", """
            - {name: timesTen, type: processChainAdapter, scriptFile: TimesTen.cs, dependsOn: [setOne]}
            - {name: setOne, type: processChainAdapter, scriptFile: SetOne.cs}
            """);
        var plugins = dir.Load().Generator!;
        var wf = ModelReader.ReadWorkflow(Workflow, "wf.yaml");
        var adapted = await plugins.AdaptAsync([new ProcessChain { Id = "c1" }, new ProcessChain { Id = "c2" }], wf, default);
        Assert.Equal([10, 10], adapted.Select(c => c.Priority));
    }

    [Fact]
    public async Task A_throwing_adapter_is_named()
    {
        using var dir = new PluginDir();
        dir.Write("Bad.csx", """
            public sealed class Bad : IProcessChainAdapter
            {
                public Task<IReadOnlyList<ProcessChain>> AdaptAsync(IReadOnlyList<ProcessChain> chains, Workflow workflow, CancellationToken ct) =>
                    throw new ArgumentException("cannot rewrite " + chains[0].Id);
            }
            """);
        dir.Write("plugins.yaml", "- {name: bad, type: processChainAdapter, scriptFile: Bad.csx}");
        var plugins = dir.Load().Generator!;
        var e = await Assert.ThrowsAsync<PluginException>(() =>
            plugins.AdaptAsync([new ProcessChain { Id = "c1" }], ModelReader.ReadWorkflow(Workflow, "wf.yaml"), default));
        Assert.Equal("process chain adapter plugin 'bad' failed: cannot rewrite c1", e.Message);
    }
}
