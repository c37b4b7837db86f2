using System.Diagnostics;
using Steep.Core.Models;
using static Steep.Agent.Tests.Chains;

namespace Steep.Agent.Tests;

public sealed class CancellationTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private LocalProcessChainExecutor Executor() =>
        new(new AgentOptions { WorkingDirectory = _dir.Path, LogDirectory = _dir["logs"] });

    [Fact]
    public async Task CancellingKillsTheWholeProcessTreeAndReturnsCancelledFast()
    {
        var script = _dir.Script("tree.sh", """
            sleep 1000 &
            echo $! > child.pid
            echo $$ > parent.pid
            wait
            """);
        var after = Exe("touch", Param(_dir["after"]));
        using var cts = new CancellationTokenSource();
        var run = Executor().ExecuteAsync(Of(Exe("true"), Exe(script), after), cts.Token);

        await WaitForFileAsync(_dir["child.pid"]);
        int parent = int.Parse(File.ReadAllText(_dir["parent.pid"]).Trim());
        int child = int.Parse(File.ReadAllText(_dir["child.pid"]).Trim());
        Assert.True(IsAlive(parent) && IsAlive(child));

        var watch = Stopwatch.StartNew();
        cts.Cancel();
        var outcome = await run.WaitAsync(TimeSpan.FromSeconds(5));
        watch.Stop();

        Assert.Equal(ProcessChainStatus.Cancelled, outcome.Status);
        Assert.Null(outcome.ErrorMessage);
        Assert.Single(outcome.ExecutedExecutableIds);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
        Assert.False(IsAlive(parent), "the script survived");
        await AssertGoneSoonAsync(child);
        Assert.False(File.Exists(_dir["after"]));
    }

    [Fact]
    public async Task CancellingDuringARetryDelayReturnsCancelled()
    {
        var exe = Exe("false") with { Retries = new RetryPolicy { MaxAttempts = 5, Delay = 60_000 } };
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var watch = Stopwatch.StartNew();
        var outcome = await Executor().ExecuteAsync(Of(exe), cts.Token);

        Assert.Equal(ProcessChainStatus.Cancelled, outcome.Status);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(2), $"took {watch.Elapsed}");
    }

    [Fact]
    public async Task AnAlreadyCancelledTokenRunsNothing()
    {
        var outcome = await Executor().ExecuteAsync(Of(Exe("touch", Param(_dir["x"]))), new CancellationToken(true));
        Assert.Equal(ProcessChainStatus.Cancelled, outcome.Status);
        Assert.Empty(outcome.ExecutedExecutableIds);
        Assert.False(File.Exists(_dir["x"]));
    }

    internal static async Task WaitForFileAsync(string path)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!File.Exists(path) || new FileInfo(path).Length == 0)
        {
            Assert.True(DateTime.UtcNow < until, $"{path} did not appear");
            await Task.Delay(10);
        }
    }

    /// <summary>Whether a process runs (a zombie waiting for its parent to reap it counts as dead).</summary>
    internal static bool IsAlive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var state = stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[0];
            return state is not ("Z" or "X");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>An orphan is killed by the kill signal, but /proc may show it a moment longer.</summary>
    internal static async Task AssertGoneSoonAsync(int pid)
    {
        for (int i = 0; i < 100 && IsAlive(pid); i++) await Task.Delay(10);
        Assert.False(IsAlive(pid), $"process {pid} survived");
    }
}
