using System.Diagnostics;
using System.Text.RegularExpressions;
using Steep.Core.Models;
using static Steep.Agent.Tests.Chains;

namespace Steep.Agent.Tests;

/// <summary>The docker runtime, through a fake docker client that records its arguments (there is no engine here).</summary>
public sealed class DockerRuntimeTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _docker;

    public DockerRuntimeTests()
    {
        _docker = _dir.Script("bin/docker", $"""
            d='{_dir.Path}'
            if [ "$1" = kill ]; then printf '%s\n' "$2" >> "$d/killed.txt"; exit 0; fi
            printf '%s\n' "$@" > "$d/run-args.txt"
            case " $* " in
              *" slow-image "*) exec sleep 1000 ;;
              *" broken-image "*) echo "Unable to find image 'broken-image:latest' locally" >&2; exit 125 ;;
            esac
            echo "container says hi"
            """);
    }

    public void Dispose() => _dir.Dispose();

    private LocalProcessChainExecutor Executor(AgentOptions? options = null) => new((options ?? new AgentOptions()) with
    {
        WorkingDirectory = _dir.Path, LogDirectory = _dir["logs"], DockerCommand = _docker,
    });

    private static Executable DockerExe(string image, params Argument[] arguments) => Exe(image, arguments) with { Runtime = "docker" };

    private static Argument RuntimeArg(string value, string? label, string dataType = DataTypes.String) =>
        new() { Id = "r", Label = label, Variable = new("rv", value), Type = ArgumentTypes.Input, DataType = dataType };

    [Fact]
    public async Task RunsDockerWithRuntimeArgsVolumesEnvironmentANameTheImageAndTheArguments()
    {
        var exe = DockerExe("my_image:latest",
            Input("/data/input.txt"),
            Output("outDir", "out/dir", DataTypes.Directory),
            Param("true", "--foobar", DataTypes.Boolean),
            Param("false", "--quiet", DataTypes.Boolean)) with
        {
            RuntimeArgs =
            [
                RuntimeArg("/data2:/data2", "-v"), RuntimeArg("true", "--rm", DataTypes.Boolean),
                RuntimeArg("false", "--privileged", DataTypes.Boolean), RuntimeArg("", "--init"),
            ],
        };
        var chain = Of(exe);
        var options = new AgentOptions { DockerVolumes = ["/data:/data", "/x y:/z"], DockerEnvironment = ["A=1", "B"] };

        var outcome = await Executor(options).ExecuteAsync(chain, CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        var args = File.ReadAllLines(_dir["run-args.txt"]);
        Assert.Matches(new Regex($"^steep-{chain.Id}-0-1-[0-9a-f]{{12}}$"), args[14]);
        string[] expected =
        [
            "run", "-v", "/data2:/data2", "--rm", "--init", "-v", "/data:/data", "-v", "/x y:/z", "-e", "A=1", "-e", "B",
            "--name", args[14], "my_image:latest", "/data/input.txt", "out/dir", "--foobar",
        ];
        Assert.Equal(expected, args);
        Assert.True(Directory.Exists(_dir["out/dir"]), "directory outputs are created on the host");
        Assert.Empty(outcome.Results!["outDir"]);
        Assert.Contains("container says hi", File.ReadAllText(_dir[$"logs/{chain.Id}.log"]));
    }

    [Fact]
    public async Task EveryRunGetsItsOwnContainerName()
    {
        await Executor().ExecuteAsync(Of(DockerExe("img")), CancellationToken.None);
        var first = File.ReadAllLines(_dir["run-args.txt"])[2];
        await Executor().ExecuteAsync(Of(DockerExe("img")), CancellationToken.None);
        var second = File.ReadAllLines(_dir["run-args.txt"])[2];
        Assert.StartsWith("steep-", first);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public async Task AFailingContainerIsAnError()
    {
        var outcome = await Executor().ExecuteAsync(Of(DockerExe("broken-image")), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.Contains("exit code 125", outcome.ErrorMessage);
        Assert.Contains("Unable to find image", outcome.ErrorMessage);
    }

    [Fact]
    public async Task AMissingDockerClientIsAnError()
    {
        var executor = new LocalProcessChainExecutor(new AgentOptions { WorkingDirectory = _dir.Path, DockerCommand = "/no/docker" });
        var outcome = await executor.ExecuteAsync(Of(DockerExe("img")), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.Contains("Docker client", outcome.ErrorMessage);
        Assert.Contains("/no/docker", outcome.ErrorMessage);
    }

    [Fact]
    public async Task CancellingKillsTheContainerByName()
    {
        using var cts = new CancellationTokenSource();
        var run = Executor().ExecuteAsync(Of(DockerExe("slow-image")), cts.Token);
        await CancellationTests.WaitForFileAsync(_dir["run-args.txt"]);
        var name = File.ReadAllLines(_dir["run-args.txt"])[2];

        var watch = Stopwatch.StartNew();
        cts.Cancel();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(ProcessChainStatus.Cancelled, outcome.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.Equal([name], File.ReadAllLines(_dir["killed.txt"]));
    }
}
