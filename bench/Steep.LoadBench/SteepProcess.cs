using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;

namespace Steep.LoadBench;

/// <summary><c>./steep serve</c> on a free port with a temporary data directory, stopped with SIGTERM at the end.</summary>
internal sealed class SteepProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private SteepProcess(Process process, Uri url, string dataDirectory)
    {
        _process = process;
        Url = url;
        DataDirectory = dataDirectory;
    }

    public Uri Url { get; }
    public string DataDirectory { get; }
    public string CommandLine { get; private init; } = "";

    public string Output
    {
        get { lock (_output) return _output.ToString(); }
    }

    public static async Task<SteepProcess> StartAsync(string root, int? agents, CancellationToken ct)
    {
        var data = Path.Combine(Path.GetTempPath(), "steep-loadbench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        int port = FreePort();
        var args = new List<string> { "serve", "--host", "127.0.0.1", "--port", port.ToString(), "--data", data };
        if (agents is { } n) args.AddRange(["--agents", n.ToString()]);
        var psi = new ProcessStartInfo(Path.Combine(root, "steep"))
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["STEEP_HOME"] = root;
        psi.Environment.Remove("STEEP_HTTP_TOKEN");
        var process = Process.Start(psi) ?? throw new InvalidOperationException("./steep serve did not start");
        var server = new SteepProcess(process, new Uri($"http://127.0.0.1:{port}/"), data) { CommandLine = "./steep " + string.Join(' ', args) };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited) throw new InvalidOperationException($"./steep serve exited with {process.ExitCode}:\n{server.Output}");
            try
            {
                using var r = await http.GetAsync(new Uri(server.Url, "health"), ct);
                if (r.StatusCode == HttpStatusCode.OK) return server;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
            {
                // not listening yet
            }
            if (deadline.Elapsed > TimeSpan.FromMinutes(5)) throw new TimeoutException($"./steep serve was not healthy in 5 minutes:\n{server.Output}");
            await Task.Delay(100, ct);
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (!OperatingSystem.IsWindows()) _ = Kill(_process.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        _process.Dispose();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // best effort
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);
}
