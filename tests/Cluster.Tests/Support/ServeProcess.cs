using System.Diagnostics;
using Steep.EndToEnd.Tests;

namespace Steep.Cluster.Tests.Support;

/// <summary>A real <c>steep serve</c> process in cluster mode (through ./steep), with a data directory of its own.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private ServeProcess(Process process, Task<string> stderr, Uri url)
    {
        _process = process;
        _stderr = stderr;
        Url = url;
    }

    /// <summary>The HTTP API's base address.</summary>
    public Uri Url { get; }

    /// <summary>Starts a silo named <paramref name="name"/> of cluster <paramref name="clusterId"/>; returns once it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string postgres, string clusterId, string name, string directory)
    {
        var psi = SteepCli.StartInfo("serve", "--port", "0", "--data", Path.Combine(directory, name), "--agents", "1",
            "--services", "conf/services/sleep.yaml");
        psi.Environment["STEEP_CLUSTER_POSTGRES"] = postgres;
        psi.Environment["STEEP_CLUSTER_ID"] = clusterId;
        psi.Environment["STEEP_CLUSTER_NAME"] = name;
        psi.Environment["STEEP_CLUSTER_GATEWAYPORT"] = "0";
        var process = Process.Start(psi)!;
        var stderr = process.StandardError.ReadToEndAsync();
        // the launcher may first build the command (minutes)
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("Listening on ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new ServeProcess(process, stderr, new Uri(line["Listening on ".Length..].Trim()));
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"steep serve ({name}) ended before it listened: {await stderr}");
    }

    /// <summary>SIGKILL: the silo is gone without a word (the kernel closes its sockets).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>
    /// SIGSTOP: the silo stops answering while its sockets stay open, as a hung process or an unreachable machine looks
    /// to the others. Disposing kills it.
    /// </summary>
    public async Task FreezeAsync()
    {
        using var kill = Process.Start("kill", ["-STOP", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        if (kill.ExitCode != 0) throw new InvalidOperationException($"kill -STOP {_process.Id} failed with exit code {kill.ExitCode}");
    }

    /// <summary>What the process wrote to stderr (once it has exited).</summary>
    public Task<string> StderrAsync() => _stderr;

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
