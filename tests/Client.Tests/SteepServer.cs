using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using Steep.Tests.Shared;

namespace Steep.Client.Tests;

/// <summary>
/// A real gateway for a test class: <c>./steep serve</c> from the repository root on a free port with a temporary
/// data directory and two agents, started once per class and stopped (SIGTERM, then kill) at the end.
/// </summary>
public class SteepServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4); // the launcher may have to build first
    private readonly StringBuilder _output = new();
    private Process? _process;

    public static string RepositoryRoot { get; } = FindRoot();

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "steep-client-tests-" + Guid.NewGuid().ToString("N")[..8]);

    /// <summary>The bearer token the server requires; null for none.</summary>
    protected virtual string? Token => null;

    /// <summary>A client for this server (with the token, when there is one).</summary>
    public SteepClient CreateClient() => new(BaseAddress, Token);

    /// <summary>What the server wrote so far (for failure messages).</summary>
    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        int port = FreePorts.Next();
        BaseAddress = new Uri($"http://127.0.0.1:{port}/");
        var psi = new ProcessStartInfo(Path.Combine(RepositoryRoot, "steep"))
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[]
                 {
                     "serve", "--host", "127.0.0.1", "--port", port.ToString(), "--data", DataDirectory, "--agents", "2",
                     "--services", "conf/services/sleep.yaml", "examples/split-join/services.yaml",
                 })
            psi.ArgumentList.Add(a);
        psi.Environment["STEEP_HOME"] = RepositoryRoot;
        if (Token is { } token) psi.Environment["STEEP_HTTP_TOKEN"] = token;
        else psi.Environment.Remove("STEEP_HTTP_TOKEN");

        _process = Process.Start(psi) ?? throw new InvalidOperationException("./steep serve did not start");
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var sw = Stopwatch.StartNew();
        while (true)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"./steep serve exited with {_process.ExitCode} before it was healthy:\n{Output}");
            try
            {
                using var response = await http.GetAsync(new Uri(BaseAddress, "health"));
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not listening yet
            }
            if (sw.Elapsed > StartTimeout)
                throw new TimeoutException($"./steep serve was not healthy within {StartTimeout}:\n{Output}");
            await Task.Delay(100);
        }
    }

    public async Task DisposeAsync()
    {
        if (_process is { } p)
        {
            try
            {
                if (!p.HasExited)
                {
                    // SIGTERM lets the server kill its running chains (sleep 60) and close the store
                    if (!OperatingSystem.IsWindows()) _ = Kill(p.Id, 15);
                    using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                    try
                    {
                        await p.WaitForExitAsync(cts.Token);
                    }
                    catch (OperationCanceledException)
                    {
                        p.Kill(entireProcessTree: true);
                        await p.WaitForExitAsync();
                    }
                }
            }
            finally
            {
                p.Dispose();
            }
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }


    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Steep.Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Steep.Orleans.sln) not found");
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
