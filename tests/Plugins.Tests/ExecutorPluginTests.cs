using Steep.Agent;
using Steep.Core.Models;

namespace Steep.Plugins.Tests;

/// <summary>Runtime, output adapter and progress estimator plugins as the agent's executor calls them.</summary>
public sealed class ExecutorPluginTests
{
    private static int _next;

    private sealed class ShRuntime : IRuntime
    {
        public async Task ExecuteAsync(Executable executable, IRuntimeContext context, CancellationToken ct)
        {
            context.Output("via the sh runtime");
            var program = context.ResolveProgram(executable.Path) ?? throw new FileNotFoundException(executable.Path);
            int code = await context.RunProcessAsync("/bin/sh", [program, .. context.CommandLine], ct);
            if (code != 0) throw new InvalidOperationException($"exit code {code}");
        }
    }

    private sealed class Boom : IRuntime, IOutputAdapter, IProgressEstimator
    {
        public Task ExecuteAsync(Executable executable, IRuntimeContext context, CancellationToken ct) => throw new InvalidOperationException("kaput");
        public Task<IReadOnlyList<string>> CollectAsync(Argument output, ProcessChain processChain, string workingDirectory, CancellationToken ct) =>
            throw new InvalidDataException("unreadable manifest");
        public double? Estimate(Executable executable, IReadOnlyList<string> recentLines) => throw new FormatException("bad number");
    }

    private sealed class Lines : IOutputAdapter
    {
        public async Task<IReadOnlyList<string>> CollectAsync(Argument output, ProcessChain processChain, string workingDirectory, CancellationToken ct) =>
            await File.ReadAllLinesAsync(Path.GetFullPath(output.Variable.Value, workingDirectory), ct);
    }

    private sealed class Percent : IProgressEstimator
    {
        public double? Estimate(Executable executable, IReadOnlyList<string> recentLines) =>
            recentLines[^1].EndsWith('%') ? double.Parse(recentLines[^1][..^1], System.Globalization.CultureInfo.InvariantCulture) / 100 : null;
    }

    private static ExecutorPlugins Plugins(
        (string, string, IRuntime)? runtime = null, (string, string, IOutputAdapter)? adapter = null, (string, string, IProgressEstimator)? estimator = null) =>
        new(
            runtime is var (rk, rn, r) ? new Dictionary<string, NamedPlugin<IRuntime>> { [rk] = new(rn, r) } : [],
            adapter is var (ak, an, a) ? new Dictionary<string, NamedPlugin<IOutputAdapter>> { [ak] = new(an, a) } : [],
            estimator is var (ek, en, e) ? new Dictionary<string, NamedPlugin<IProgressEstimator>> { [ek] = new(en, e) } : []);

    private static ProcessChain Chain(params Executable[] executables) =>
        new() { Id = "chain" + Interlocked.Increment(ref _next), Executables = executables };

    private static Executable Exe(string path, string runtime = "other", string service = "svc", params Argument[] arguments) => new()
    {
        Id = "exe" + Interlocked.Increment(ref _next), Path = path, ServiceId = service, Runtime = runtime, Arguments = arguments,
    };

    private static Argument Output(string varId, string value, string dataType) =>
        new() { Id = "out", Variable = new(varId, value), Type = ArgumentTypes.Output, DataType = dataType };

    private static LocalProcessChainExecutor Executor(PluginDir dir, ExecutorPlugins plugins, ChainProgress? progress = null) =>
        new(new AgentOptions { WorkingDirectory = dir.Path, LogDirectory = dir["logs"], Plugins = plugins, Progress = progress ?? new() });

    [Fact]
    public async Task A_runtime_plugin_runs_executables_of_its_runtime()
    {
        using var dir = new PluginDir();
        var script = dir.Write("write.txt", "echo written > \"$1\"\necho from the service\n");
        var exe = Exe(script, "sh", "svc", Output("o", "out.txt", "file"));
        var chain = Chain(exe);
        var outcome = await Executor(dir, Plugins(runtime: ("sh", "shRuntime", new ShRuntime()))).ExecuteAsync(chain, default);
        Assert.True(outcome.Status == ProcessChainStatus.Success, outcome.ErrorMessage);
        Assert.Equal("written\n", File.ReadAllText(dir["out.txt"]));
        var log = File.ReadAllText(dir[$"logs/{chain.Id}.log"]);
        Assert.Contains("runtime plugin 'shRuntime'", log);
        Assert.Contains("via the sh runtime", log);
        Assert.Contains("from the service", log);
    }

    [Fact]
    public async Task A_throwing_runtime_plugin_fails_only_its_chain_naming_the_plugin()
    {
        using var dir = new PluginDir();
        var executor = Executor(dir, Plugins(runtime: ("boom", "boomRuntime", new Boom())));
        var outcome = await executor.ExecuteAsync(Chain(Exe("anything", "boom")), default);
        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.StartsWith("Runtime plugin 'boomRuntime' failed to run service 'svc'", outcome.ErrorMessage);
        Assert.EndsWith("kaput", outcome.ErrorMessage);
        // the same executor runs the next chain (runtime "other") as usual
        var next = await executor.ExecuteAsync(Chain(Exe("true")), default);
        Assert.Equal(ProcessChainStatus.Success, next.Status);
    }

    [Fact]
    public async Task An_output_adapter_collects_outputs_of_its_data_type_and_others_as_usual()
    {
        using var dir = new PluginDir();
        var script = dir.Script("list.sh", "printf 'a\\nb\\n' > \"$1\"; echo x > \"$2\"");
        var exe = Exe(script, "other", "svc", Output("listed", "list.txt", "lines"), Output("plain", "plain.txt", "file"));
        var outcome = await Executor(dir, Plugins(adapter: ("lines", "linesAdapter", new Lines()))).ExecuteAsync(Chain(exe), default);
        Assert.True(outcome.Status == ProcessChainStatus.Success, outcome.ErrorMessage);
        Assert.Equal(["a", "b"], outcome.Results!["listed"]);
        Assert.Equal(["plain.txt"], outcome.Results!["plain"]);
    }

    [Fact]
    public async Task A_throwing_output_adapter_fails_the_chain_naming_the_plugin_and_the_output()
    {
        using var dir = new PluginDir();
        var script = dir.Script("touch.sh", "touch \"$1\"");
        var exe = Exe(script, "other", "svc", Output("listed", "list.txt", "manifest"));
        var outcome = await Executor(dir, Plugins(adapter: ("manifest", "manifest", new Boom()))).ExecuteAsync(Chain(exe), default);
        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.Equal($"Output adapter plugin 'manifest' failed on output 'out' of service 'svc' (executable '{exe.Id}'): unreadable manifest", outcome.ErrorMessage);
    }

    [Fact]
    public async Task A_progress_estimator_gives_the_running_chain_its_estimated_progress()
    {
        using var dir = new PluginDir();
        var script = dir.Script("count.sh", "echo 40%; sleep 2; echo done");
        var progress = new ChainProgress();
        var chain = Chain(Exe("true"), Exe(script, "other", "counter"));
        var run = Executor(dir, Plugins(estimator: ("counter", "percent", new Percent())), progress).ExecuteAsync(chain, default);
        double? seen = null;
        for (int i = 0; i < 150 && seen is null; i++)
        {
            seen = progress.Get(chain.Id);
            if (seen is null) await Task.Delay(20);
        }
        var outcome = await run;
        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        // the first executable is done, the second 40 % of the way: (1 + 0.4) / 2
        Assert.Equal(0.7, seen!.Value, 3);
        Assert.Null(progress.Get(chain.Id));
    }

    [Fact]
    public async Task Output_read_by_an_estimator_reaches_the_log_while_the_service_still_runs()
    {
        using var dir = new PluginDir();
        var script = dir.Script("slow.sh", "echo 30%; echo first line; sleep 5; echo last line");
        var chain = Chain(Exe(script, "other", "counter"));
        var run = Executor(dir, Plugins(estimator: ("counter", "percent", new Percent()))).ExecuteAsync(chain, default);
        var path = dir[$"logs/{chain.Id}.log"];
        string log = "";
        // until the line is there or the service has ended (by the clock, not by a count of polls: on a loaded machine
        // a 20 ms delay can take far longer)
        while (!log.Contains("first line") && !run.IsCompleted)
        {
            await Task.Delay(20);
            if (File.Exists(path)) log = File.ReadAllText(path);
        }
        Assert.False(run.IsCompleted, "the service ended before its first line was seen");
        Assert.Contains("first line", log);
        Assert.DoesNotContain("last line", log);
        Assert.Equal(ProcessChainStatus.Success, (await run).Status);
        Assert.Contains("last line", File.ReadAllText(path));
    }

    [Fact]
    public async Task A_throwing_progress_estimator_is_logged_and_the_chain_runs_on()
    {
        using var dir = new PluginDir();
        var chain = Chain(Exe(dir.Script("say.sh", "echo 10%; echo 20%"), "other", "counter"));
        var outcome = await Executor(dir, Plugins(estimator: ("counter", "badEstimator", new Boom()))).ExecuteAsync(chain, default);
        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        var log = File.ReadAllText(dir[$"logs/{chain.Id}.log"]);
        Assert.Single(log.Split('\n'), l => l.Contains("progress estimator plugin 'badEstimator' failed: bad number"));
    }
}
