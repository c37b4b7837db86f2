using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.RegularExpressions;

namespace Steep.Tests.Shared;

/// <summary><c>./steep serve</c> as a real process, started through the repository's launcher (shared by the API and dashboard tests).</summary>
public sealed partial class SteepProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource<string> _url = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private SteepProcess(Process process) => _process = process;

    public string Url => _url.Task.Result;
    public int Id => _process.Id;
    public string Errors
    {
        get
        {
            lock (_stderr) return _stderr.ToString();
        }
    }

    /// <summary>The folder holding Steep.Orleans.sln above the test binaries.</summary>
    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Steep.Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException($"no Steep.Orleans.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>Starts the server with the repository root as working directory and waits until it prints its URL.</summary>
    public static async Task<SteepProcess> StartAsync(IEnumerable<string> args, IDictionary<string, string>? environment, TimeSpan startTimeout)
    {
        var root = RepositoryRoot();
        // STEEP_TEST_BINARY runs an already built steep instead of the launcher (quicker while developing)
        var binary = Environment.GetEnvironmentVariable("STEEP_TEST_BINARY") is { Length: > 0 } b ? b : null;
        var psi = new ProcessStartInfo(binary ?? "bash")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (binary is null) psi.ArgumentList.Add(Path.Combine(root, "steep"));
        psi.ArgumentList.Add("serve");
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in new[] { "STEEP_HTTP_TOKEN", "STEEP_HTTP_HOST", "STEEP_HTTP_PORT", "ASPNETCORE_URLS", "URLS", "STEEP_HOME" })
            psi.Environment.Remove(name);
        psi.Environment["STEEP_HOME"] = root;
        if (environment is not null) foreach (var (k, v) in environment) psi.Environment[k] = v;

        var p = new SteepProcess(new Process { StartInfo = psi, EnableRaisingEvents = true });
        p._process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && ListeningLine().Match(line) is { Success: true } m) p._url.TrySetResult(m.Groups[1].Value);
        };
        p._process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (p._stderr) p._stderr.AppendLine(e.Data);
        };
        p._process.Exited += (_, _) => p._url.TrySetException(new InvalidOperationException($"steep serve exited early:\n{p.Errors}"));
        p._process.Start();
        p._process.StandardInput.Close();
        p._process.BeginOutputReadLine();
        p._process.BeginErrorReadLine();
        try
        {
            // the launcher builds the CLI first when its sources changed
            await p._url.Task.WaitAsync(startTimeout);
        }
        catch
        {
            await p.DisposeAsync();
            throw;
        }
        return p;
    }

    [GeneratedRegex(@"^Listening on (http://\S+)$")]
    private static partial Regex ListeningLine();

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Sends SIGTERM and waits for the exit; returns the exit code, or null if it did not exit in time.</summary>
    public async Task<int?> TerminateAsync(TimeSpan timeout)
    {
        const int sigterm = 15;
        if (Kill(_process.Id, sigterm) != 0) throw new InvalidOperationException($"kill failed: errno {Marshal.GetLastPInvokeError()}");
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            try
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
                // already gone
            }
        }
        _process.Dispose();
    }
}
