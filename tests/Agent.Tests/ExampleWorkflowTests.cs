using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;

namespace Steep.Agent.Tests;

/// <summary>
/// The example workflows in examples/: generated into process chains by the real generator and run by the executor,
/// results fed back until the generator is finished — generator and executor working together.
/// </summary>
public sealed class ExampleWorkflowTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string RepositoryRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "Steep.Orleans.sln"))) return d.FullName;
        }
        throw new InvalidOperationException("repository root not found above " + AppContext.BaseDirectory);
    }

    /// <summary>What running a workflow produced.</summary>
    private sealed record Run(ProcessChainGenerator Generator, List<List<ProcessChain>> Steps, string Root)
    {
        public string Value(string variable) => Assert.IsType<string>(Generator.Values[variable]);

        public string Read(string path) => File.ReadAllText(Path.Combine(Root, path));
    }

    private async Task<Run> RunExampleAsync(string name)
    {
        var root = RepositoryRoot();
        var folder = Path.Combine(root, "examples", name);
        var servicesFile = Path.Combine(folder, "services.yaml");
        var workflowFile = Path.Combine(folder, "workflow.yaml");
        var services = ModelReader.ReadServiceFiles([servicesFile]);
        var workflow = ModelReader.ReadWorkflow(File.ReadAllText(workflowFile), workflowFile);
        Assert.Empty(WorkflowValidator.Validate(workflow, services.ToList()));

        var generator = new ProcessChainGenerator(workflow, services, new GeneratorOptions(_dir["tmp"], _dir["out"]));
        // input paths in the workflows are relative to the repository root, where `steep run` is meant to be started
        var executor = new LocalProcessChainExecutor(new AgentOptions
        {
            WorkingDirectory = root, LogDirectory = _dir["logs"], ServiceDirectories = ServiceDirectoryMap.FromFiles([servicesFile]),
        });

        var steps = new List<List<ProcessChain>>();
        var chains = generator.Generate();
        while (chains.Count > 0)
        {
            Assert.True(steps.Count < 50, "the workflow does not finish");
            steps.Add(chains.ToList());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            var outcomes = await Task.WhenAll(chains.Select(c => executor.ExecuteAsync(c, timeout.Token)));
            var results = new Dictionary<string, IReadOnlyList<string>>();
            var executed = new List<string>();
            foreach (var o in outcomes)
            {
                Assert.True(o.Status == ProcessChainStatus.Success, o.ErrorMessage);
                foreach (var (k, v) in o.Results!) results[k] = v;
                executed.AddRange(o.ExecutedExecutableIds);
            }
            chains = generator.Generate(results, executed);
        }
        Assert.True(generator.IsFinished);
        return new Run(generator, steps, root);
    }

    [Fact]
    public async Task TwoParallelCopies()
    {
        var run = await RunExampleAsync("parallel-copies");

        Assert.Equal(2, Assert.Single(run.Steps).Count); // two independent chains
        Assert.Equal(run.Read("examples/parallel-copies/example1.txt"), run.Read(run.Value("outputFile1")));
        Assert.Equal(run.Read("examples/parallel-copies/example2.txt"), run.Read(run.Value("outputFile2")));
    }

    [Fact]
    public async Task ChainedCopies()
    {
        var run = await RunExampleAsync("chained-copies");

        Assert.Equal(2, Assert.Single(Assert.Single(run.Steps)).Executables.Count); // one chain with both copies
        Assert.Equal(run.Read("examples/chained-copies/example.txt"), run.Read(run.Value("outputFile2")));
    }

    [Fact]
    public async Task SplitAndJoin()
    {
        var run = await RunExampleAsync("split-join");

        var input = run.Read("examples/split-join/example.txt");
        Assert.Equal(input, run.Read(run.Value("outputFile1")));
        Assert.Equal(input + input, run.Read(run.Value("outputFile4")));
        var join = run.Steps.SelectMany(s => s).SelectMany(c => c.Executables).Single(e => e.ServiceId == "join");
        Assert.Equal([run.Value("outputFile2"), run.Value("outputFile3"), run.Value("outputFile4")],
            join.Arguments.Select(a => a.Variable.Value));
    }

    [Fact]
    public async Task DynamicNumberOfResultsWithForEach()
    {
        var run = await RunExampleAsync("for-each-split");

        var input = run.Read("examples/for-each-split/example.txt");
        int lines = input.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        var copies = run.Steps.SelectMany(s => s).SelectMany(c => c.Executables).Count(e => e.ServiceId == "copy");
        Assert.Equal(lines, copies); // one copy per line (split -l 1)
        Assert.Equal(lines, Assert.IsType<List<object?>>(run.Generator.Values["copies"]).Count);
        Assert.Equal(input, run.Read(run.Value("outputFile2"))); // joined in the order of the split pieces
    }

    [Fact]
    public async Task CountdownLoopWithYieldToInput()
    {
        var run = await RunExampleAsync("countdown");

        Assert.Equal("3", run.Read("examples/countdown/input.txt").Trim());
        // one chain per iteration: 3 -> 2, 2 -> 1, 1 -> nothing
        Assert.Equal(3, run.Steps.Count);
        var outputs = run.Steps.Select(s => Assert.Single(Assert.Single(s).Executables).Arguments.Single(a => a.Type == "output").Variable.Value).ToList();
        Assert.Equal("2", run.Read(outputs[0]));
        Assert.Equal("1", run.Read(outputs[1]));
        Assert.False(File.Exists(outputs[2]));
        Assert.Equal(["1", "2"], Directory.GetFiles(_dir["tmp"]).Select(File.ReadAllText).Order(StringComparer.Ordinal));
    }
}
