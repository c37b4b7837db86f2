using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;

namespace Steep.Core.Tests.Support;

/// <summary>
/// Drives a generator step by step the way the scheduler does, optionally through a saved and reloaded state before
/// every step, and applies the 'finished' rule of <c>steep plan</c>.
/// </summary>
internal sealed class GeneratorHarness
{
    private readonly IReadOnlyList<Service> _services;
    private readonly bool _reload;

    public GeneratorHarness(string workflowYaml, bool reload = false, string? servicesYaml = null, string idSeed = "g")
    {
        _services = ModelReader.ReadServices(servicesYaml ?? TestServices.Yaml, "services.yaml");
        _reload = reload;
        Generator = new ProcessChainGenerator(ModelReader.ReadWorkflow(workflowYaml, "workflow.yaml"), _services,
            new GeneratorOptions("/tmp/", "/out/", idSeed));
    }

    public ProcessChainGenerator Generator { get; private set; }

    /// <summary>Whether the last step reported finished: it started finished and produced no chains.</summary>
    public bool Finished { get; private set; }

    public IReadOnlyList<ProcessChain> Step(IReadOnlyDictionary<string, IReadOnlyList<string>>? results = null,
        IEnumerable<string>? executed = null)
    {
        if (_reload) Generator = ProcessChainGenerator.Load(Generator.SaveState(), _services);
        bool before = Generator.IsFinished;
        var chains = Generator.Generate(results, executed);
        Finished = chains.Count == 0 && before && Generator.IsFinished;
        return chains;
    }

    /// <summary>Results as the scheduler passes them: output variable id to the files produced.</summary>
    public static Dictionary<string, IReadOnlyList<string>> Results(params (string Var, string[] Values)[] results) =>
        results.ToDictionary(r => r.Var, r => (IReadOnlyList<string>)r.Values);

    /// <summary>Feeds the given results, then one more empty step, and asserts that nothing else comes and the run is finished.</summary>
    public void AssertFinishesAfter(IReadOnlyDictionary<string, IReadOnlyList<string>>? results = null)
    {
        Assert.Empty(Step(results));
        Assert.Empty(Step());
        Assert.True(Finished, "the workflow should be finished");
    }

    /// <summary>The results a successful run of <paramref name="chain"/> produces: one file per output, named after it.</summary>
    public static Dictionary<string, IReadOnlyList<string>> ResultsOf(ProcessChain chain) =>
        chain.Executables.SelectMany(e => e.Arguments).Where(a => a.Type == ArgumentTypes.Output)
            .ToDictionary(a => a.Variable.Id, a => (IReadOnlyList<string>)[a.Variable.Value]);
}
