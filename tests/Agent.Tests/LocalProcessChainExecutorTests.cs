using Steep.Core.Models;
using static Steep.Agent.Tests.Chains;

namespace Steep.Agent.Tests;

public sealed class LocalProcessChainExecutorTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private LocalProcessChainExecutor Executor(AgentOptions? options = null) =>
        new((options ?? new AgentOptions()) with { WorkingDirectory = _dir.Path, LogDirectory = _dir["logs"] });

    private string Log(ProcessChain chain) => File.ReadAllText(_dir[$"logs/{chain.Id}.log"]);

    [Fact]
    public async Task CopiesAFileAndReportsTheOutputByVariableId()
    {
        File.WriteAllText(_dir["in.txt"], "hello");
        var copy = Exe("cp", Input("in.txt"), Output("outVar", "out/sub/copy.txt"));
        var chain = Of(copy);

        var outcome = await Executor().ExecuteAsync(chain, CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Null(outcome.ErrorMessage);
        Assert.Equal(["out/sub/copy.txt"], outcome.Results!["outVar"]);
        Assert.Equal([copy.Id], outcome.ExecutedExecutableIds);
        Assert.Equal("hello", File.ReadAllText(_dir["out/sub/copy.txt"])); // the parent directory was created
    }

    [Fact]
    public async Task RunsExecutablesInOrderAndCollectsEveryOutput()
    {
        File.WriteAllText(_dir["in.txt"], "abc");
        var first = Exe("cp", Input("in.txt"), Output("a", "tmp/a"));
        var second = Exe("cp", Input("tmp/a"), Output("b", "tmp/b"));
        var outcome = await Executor().ExecuteAsync(Of(first, second), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal(["tmp/a"], outcome.Results!["a"]);
        Assert.Equal(["tmp/b"], outcome.Results!["b"]);
        Assert.Equal([first.Id, second.Id], outcome.ExecutedExecutableIds);
        Assert.Equal("abc", File.ReadAllText(_dir["tmp/b"]));
    }

    [Fact]
    public async Task CollectsEveryFileBelowADirectoryOutputSortedOrdinally()
    {
        var script = _dir.Script("mk.sh", """
            set -e
            [ -d "$1" ] || { echo "output directory was not created" >&2; exit 9; }
            mkdir -p "$1/sub/deeper"
            echo 1 > "$1/b.txt"; echo 2 > "$1/B.txt"; echo 3 > "$1/sub/a.txt"; echo 4 > "$1/sub/deeper/z"; echo 5 > "$1/.hidden"
            """);
        var outcome = await Executor().ExecuteAsync(
            Of(Exe(script, Output("dirVar", "res/dir/", DataTypes.Directory)), Exe(script, Output("dir2", "res/dir2", DataTypes.Directory))),
            CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        string[] expected = ["res/dir/.hidden", "res/dir/B.txt", "res/dir/b.txt", "res/dir/sub/a.txt", "res/dir/sub/deeper/z"];
        Assert.Equal(expected, outcome.Results!["dirVar"]);
        Assert.Equal("res/dir2/sub/a.txt", outcome.Results!["dir2"][3]); // no trailing slash: one is added
    }

    [Fact]
    public async Task AnEmptyDirectoryOutputGivesAnEmptyList()
    {
        var outcome = await Executor().ExecuteAsync(Of(Exe("true", Output("d", "empty/", DataTypes.Directory))), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Empty(outcome.Results!["d"]);
        Assert.True(Directory.Exists(_dir["empty"]));
    }

    [Fact]
    public async Task FileOrEmptyListIsTheFileWhenItExistsAndEmptyOtherwise()
    {
        var maybe = _dir.Script("maybe.sh", """[ "$1" = yes ] && echo x > "$2"; exit 0""");
        var outcome = await Executor().ExecuteAsync(Of(
            Exe(maybe, Param("yes"), Output("written", "o/w.txt", DataTypes.FileOrEmptyList)),
            Exe(maybe, Param("no"), Output("missing", "o/m.txt", DataTypes.FileOrEmptyList))), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal(["o/w.txt"], outcome.Results!["written"]);
        Assert.Empty(outcome.Results!["missing"]);
    }

    [Fact]
    public async Task BooleanArgumentsWithALabelPassOnlyTheLabelWhenTrue()
    {
        var echo = _dir.Script("args.sh", """out=$1; shift; for a in "$@"; do printf '[%s]\n' "$a"; done > "$out" """);
        var outcome = await Executor().ExecuteAsync(Of(Exe(echo,
            Param(_dir["args.txt"]),
            Param("true", "-n", DataTypes.Boolean),
            Param("false", "--skip", DataTypes.Boolean),
            Param("TRUE", "--upper", DataTypes.Boolean),
            Param("false", null, DataTypes.Boolean),
            Param("5", "-l", "integer"),
            Input("file.txt", "--input"))), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal(["[-n]", "[--upper]", "[false]", "[-l]", "[5]", "[--input]", "[file.txt]"], File.ReadAllLines(_dir["args.txt"]));
    }

    [Fact]
    public async Task ArgumentsPassUnchangedWithoutAShell()
    {
        var echo = _dir.Script("args.sh", """out=$1; shift; for a in "$@"; do printf '[%s]\n' "$a"; done > "$out" """);
        string[] tricky = ["two words", "it's", "\"quoted\"", "$HOME", "*", "a;b", "`id`", "", " lead", "back\\slash", "ünï"];
        var outcome = await Executor().ExecuteAsync(
            Of(Exe(echo, [Param(_dir["args.txt"]), .. tricky.Select(t => Param(t))])), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal(tricky.Select(t => $"[{t}]"), File.ReadAllLines(_dir["args.txt"]));
    }

    [Fact]
    public async Task ServicesStartWithNoSignalIgnoredOrBlockedAndStdinAtEndOfFile()
    {
        // .NET ignores SIGPIPE; a tool that inherited that would print "Broken pipe" errors instead of ending quietly.
        // grep reads its own state (a shell in between would show its own, which changes while it waits for children);
        // cat ends at once only when stdin is at end of file
        var chain = Of(Exe("grep", Param("-E"), Param("^Sig(Ign|Blk):"), Param("/proc/self/status")), Exe("cat"));
        var outcome = await Executor().ExecuteAsync(chain, CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        var masks = Log(chain).Split('\n').Where(l => l.StartsWith("Sig", StringComparison.Ordinal)).Select(l => l.Split(':'))
            .ToDictionary(p => p[0], p => Convert.ToUInt64(p[1].Trim(), 16));
        Assert.Equal(0UL, masks["SigBlk"]);
        // signals 1-31 (bit n-1 for signal n); glibc's own 32 and 33 are re-initialised by every program that uses them
        Assert.Equal(0UL, masks["SigIgn"] & 0x7fff_ffffUL);
    }

    [Fact]
    public async Task ANonZeroExitCodeIsAnErrorWithTheCodeAndTheLastLines()
    {
        var fail = _dir.Script("fail.sh", """i=1; while [ $i -le 150 ]; do echo "line $i"; i=$((i+1)); done; echo "bad thing" >&2; exit 3""");
        var ok = Exe("true");
        var failing = Exe(fail) with { ServiceId = "failer" };
        var never = Exe("touch", Param(_dir["never"]));

        var outcome = await Executor(new AgentOptions { ErrorOutputLines = 5 }).ExecuteAsync(Of(ok, failing, never), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.Null(outcome.Results);
        Assert.Equal([ok.Id], outcome.ExecutedExecutableIds);
        var m = outcome.ErrorMessage!;
        Assert.Contains("'failer'", m);
        Assert.Contains(failing.Id, m);
        Assert.Contains("exit code 3", m);
        Assert.Contains("line 150", m);
        Assert.Contains("line 147", m);
        Assert.Contains("bad thing", m);
        Assert.DoesNotContain("line 146", m);
        Assert.False(File.Exists(_dir["never"]));
    }

    [Fact]
    public async Task AProgramThatIsNotFoundIsAnErrorNamingThePath()
    {
        var missing = await Executor().ExecuteAsync(Of(Exe("/no/such/program")), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Error, missing.Status);
        Assert.Contains("/no/such/program", missing.ErrorMessage);
        Assert.Contains("does not exist", missing.ErrorMessage);

        var notOnPath = await Executor().ExecuteAsync(Of(Exe("no-such-program-steep")), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Error, notOnPath.Status);
        Assert.Contains("'no-such-program-steep' was not found", notOnPath.ErrorMessage);

        File.WriteAllText(_dir["plain.sh"], "#!/bin/sh\n");
        File.SetUnixFileMode(_dir["plain.sh"], UnixFileMode.UserRead | UnixFileMode.UserWrite);
        var notExecutable = await Executor().ExecuteAsync(Of(Exe(_dir["plain.sh"])), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Error, notExecutable.Status);
        Assert.Contains(_dir["plain.sh"], notExecutable.ErrorMessage);
        Assert.Contains("ermission denied", notExecutable.ErrorMessage);
    }

    [Fact]
    public async Task RelativePathsAreResolvedInTheServiceDirectory()
    {
        var serviceDir = _dir["service"];
        _dir.Script("service/tool.sh", """echo tool > "$1" """);
        _dir.Script("service/bin/nested.sh", """echo nested > "$1" """);
        _dir.Script("service/cp", """echo "not the real cp" > "$2" """);
        File.WriteAllText(_dir["in"], "x");
        var options = new AgentOptions { ServiceDirectories = new Dictionary<string, string> { ["svc"] = serviceDir } };

        var outcome = await Executor(options).ExecuteAsync(Of(
            Exe("tool.sh", Output("a", "a.txt")),
            Exe("./bin/nested.sh", Output("b", "b.txt")),
            Exe("cp", Input("in"), Output("c", "c.txt")),
            Exe("cp", Input("in"), Output("d", "d.txt")) with { ServiceId = "other" }), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal("tool\n", File.ReadAllText(_dir["a.txt"]));
        Assert.Equal("nested\n", File.ReadAllText(_dir["b.txt"]));
        Assert.Equal("not the real cp\n", File.ReadAllText(_dir["c.txt"])); // a bare name prefers the service directory
        Assert.Equal("x", File.ReadAllText(_dir["d.txt"])); // unknown service directory: PATH
    }

    [Fact]
    public async Task ServicesGetNoInputAndRunInTheWorkingDirectory()
    {
        var script = _dir.Script("stdin.sh", """cat > got-stdin.txt; pwd > pwd.txt""");
        var outcome = await Executor().ExecuteAsync(Of(Exe(script)), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal("", File.ReadAllText(_dir["got-stdin.txt"]));
        Assert.Equal(_dir.Path, File.ReadAllText(_dir["pwd.txt"]).Trim());
    }

    [Fact]
    public async Task RetriesAFailingExecutableWithItsPolicy()
    {
        var flaky = _dir.Script("flaky.sh", """
            n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count
            echo "attempt $n"
            [ $n -ge 3 ] || exit 7
            """);
        var exe = Exe(flaky) with { Retries = new RetryPolicy { MaxAttempts = 3, Delay = 20, ExponentialBackoff = 2 } };
        var chain = Of(exe);

        var started = DateTime.UtcNow;
        var outcome = await Executor().ExecuteAsync(chain, CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.Equal([exe.Id], outcome.ExecutedExecutableIds);
        Assert.True(DateTime.UtcNow - started >= TimeSpan.FromMilliseconds(55), "waits 20 ms and then 40 ms");
        var log = Log(chain);
        Assert.Contains("attempt 1 of 3", log);
        Assert.Contains("attempt 3 of 3", log);
        Assert.Contains("attempt 1 failed; retrying in 20 ms", log);
        Assert.Contains("attempt 2 failed; retrying in 40 ms", log);
        Assert.Contains("exit code 7", log);
    }

    [Fact]
    public async Task GivesUpWhenTheAttemptsAreUsedUp()
    {
        var flaky = _dir.Script("flaky.sh", """n=$(cat count 2>/dev/null || echo 0); echo $((n+1)) > count; exit 1""");
        var outcome = await Executor().ExecuteAsync(
            Of(Exe(flaky) with { Retries = new RetryPolicy { MaxAttempts = 2, Delay = 1 } }), CancellationToken.None);

        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.Contains("attempt 2 of 2) failed with exit code 1", outcome.ErrorMessage);
        Assert.Equal("2", File.ReadAllText(_dir["count"]).Trim());
    }

    [Fact]
    public async Task TheLogHasTheCommandLineTheOutputInArrivalOrderAndTheExitCodeAndIsAppended()
    {
        var talk = _dir.Script("talk.sh", """echo "out 1"; sleep 0.2; echo "err 1" >&2; sleep 0.2; echo "out 2"; exit 0""");
        var chain = Of(Exe(talk, Param("an arg")), Exe("true"));

        await Executor().ExecuteAsync(chain, CancellationToken.None);
        var first = Log(chain);
        var lines = first.Split('\n');
        Assert.Contains($"$ {talk} 'an arg'", lines);
        Assert.True(Index(lines, "out 1") < Index(lines, "err 1") && Index(lines, "err 1") < Index(lines, "out 2"), first);
        Assert.Equal(2, lines.Count(l => l.EndsWith(" exit code 0", StringComparison.Ordinal)));
        Assert.Contains("$ /", lines.Last(l => l.StartsWith('$'))); // true resolved on PATH

        await Executor().ExecuteAsync(chain, CancellationToken.None);
        var second = Log(chain);
        Assert.StartsWith(first, second);
        Assert.Equal(2, second.Split('\n').Count(l => l == "out 2"));
    }

    [Fact]
    public async Task WithoutALogDirectoryNothingIsWritten()
    {
        var executor = new LocalProcessChainExecutor(new AgentOptions { WorkingDirectory = _dir.Path });
        var outcome = await executor.ExecuteAsync(Of(Exe("echo", Param("hi"))), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Success, outcome.Status);
        Assert.False(Directory.Exists(_dir["logs"]));
    }

    [Fact]
    public async Task AnUnknownRuntimeIsAnError()
    {
        var outcome = await Executor().ExecuteAsync(Of(Exe("x") with { Runtime = "kubernetes" }), CancellationToken.None);
        Assert.Equal(ProcessChainStatus.Error, outcome.Status);
        Assert.Contains("unknown runtime 'kubernetes'", outcome.ErrorMessage);
    }

    private static int Index(string[] lines, string line)
    {
        int i = Array.IndexOf(lines, line);
        Assert.True(i >= 0, $"missing line '{line}'");
        return i;
    }
}
