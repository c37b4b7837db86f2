using System.Diagnostics;
using Steep.EndToEnd.Tests;

namespace Steep.Cluster.Tests.Support;

/// <summary>A real <c>steep serve</c> process in cluster mode (through ./steep), with a data directory of its own.</summary>
public sealed class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Task<string> _stderr;

    private readonly Uri? _url;
    private bool _disposed;
    private System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    /// <summary>What the process has written to stderr so far.</summary>
    public string StderrSoFar => string.Join('\n', _lines);

    private ServeProcess(Process process, Task<string> stderr, Uri? url, string name)
    {
        Name = name;
        _process = process;
        _stderr = stderr;
        _url = url;
    }

    /// <summary>The HTTP API's base address.</summary>
    public Uri Url => _url ?? throw new InvalidOperationException("an agent-only silo has no HTTP API");

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>The process id (./steep execs the command).</summary>
    public int Pid => _process.Id;

    /// <summary>The silo's name (<c>STEEP_CLUSTER_NAME</c>): its agents are <c>name-1</c>, <c>name-2</c>, …</summary>
    public string Name { get; }

    /// <summary>Whether an agent id names one of this silo's agents.</summary>
    public bool Owns(string? agentId) =>
        agentId is not null && agentId.StartsWith(Name + "-", StringComparison.Ordinal)
        && agentId.Length > Name.Length + 1 && agentId.AsSpan(Name.Length + 1).IndexOfAnyExceptInRange('0', '9') < 0;

    /// <summary>Starts a silo named <paramref name="name"/> of cluster <paramref name="clusterId"/>; returns once it listens.</summary>
    public static async Task<ServeProcess> StartAsync(string postgres, string clusterId, string name, string directory, int agents = 1,
        IReadOnlyDictionary<string, string>? environment = null, string services = "conf/services/sleep.yaml")
    {
        var count = agents.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var psi = SteepCli.StartInfo("serve", "--port", "0", "--data", Path.Combine(directory, name), "--agents", count,
            "--services", services);
        return await LaunchAsync(psi, postgres, clusterId, name, environment);
    }

    /// <summary>
    /// Starts a silo for each of <paramref name="names"/> at once (one agent each) and returns them, in that order, once
    /// the membership table counts exactly them as the cluster's active silos.
    /// </summary>
    public static async Task<IReadOnlyList<ServeProcess>> StartClusterAsync(string postgres, string clusterId, string directory, params string[] names)
    {
        var starting = names.Select(n => StartAsync(postgres, clusterId, n, directory)).ToList();
        try
        {
            var silos = await Task.WhenAll(starting);
            using var api = new ClusterApi(postgres, clusterId);
            var expected = names.Order(StringComparer.Ordinal).ToList();
            await ClusterApi.WaitUntil(async () => (await api.ActiveSiloNamesAsync()).SequenceEqual(expected), TimeSpan.FromSeconds(30),
                $"silos {string.Join(", ", expected)} active in the membership table");
            return silos;
        }
        catch
        {
            foreach (var s in starting.Where(t => t.IsCompletedSuccessfully)) await s.Result.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts <c>steep agent</c> (no HTTP API) named <paramref name="name"/>; returns once its agents are registered.</summary>
    public static async Task<ServeProcess> StartAgentAsync(string postgres, string clusterId, string name, string directory, int agents,
        string capabilities, string services, IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = SteepCli.StartInfo("agent", "--data", Path.Combine(directory, name), "--agents",
            agents.ToString(System.Globalization.CultureInfo.InvariantCulture), "--capabilities", capabilities, "--services", services);
        return await LaunchAsync(psi, postgres, clusterId, name, environment);
    }

    private static async Task<ServeProcess> LaunchAsync(ProcessStartInfo psi, string postgres, string clusterId, string name,
        IReadOnlyDictionary<string, string>? environment)
    {
        foreach (var (k, v) in environment ?? new Dictionary<string, string>()) psi.Environment[k] = v;
        psi.Environment["STEEP_CLUSTER_POSTGRES"] = postgres;
        psi.Environment["STEEP_CLUSTER_ID"] = clusterId;
        psi.Environment["STEEP_CLUSTER_NAME"] = name;
        psi.Environment["STEEP_CLUSTER_GATEWAYPORT"] = "0";
        var process = Process.Start(psi)!;
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var stderr = Task.Run(async () =>
        {
            while (await process.StandardError.ReadLineAsync() is { } l) lines.Enqueue(l);
            return string.Join('\n', lines);
        });
        // the launcher may first build the command (minutes)
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(10));
        try
        {
            while (await process.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
            {
                if (line.StartsWith("Listening on ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new ServeProcess(process, stderr, new Uri(line["Listening on ".Length..].Trim()), name) { _lines = lines };
                }
                if (line.StartsWith("Running ", StringComparison.Ordinal))
                {
                    _ = process.StandardOutput.ReadToEndAsync();
                    return new ServeProcess(process, stderr, null, name) { _lines = lines };
                }
            }
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
        }
        await process.WaitForExitAsync();
        throw new InvalidOperationException($"steep {psi.ArgumentList[0]} ({name}) ended before it listened: {await stderr}");
    }

    /// <summary>SIGKILL: the silo is gone without a word (the kernel closes its sockets).</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGKILL, then waits until the process is gone (its data directory lock and ports with it).</summary>
    public async Task KillAsync()
    {
        Kill();
        await _process.WaitForExitAsync();
    }

    /// <summary>SIGTERM, as a container platform stops a silo; returns the exit code once the process has ended.</summary>
    public async Task<int> TerminateAsync(TimeSpan patience)
    {
        using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            await term.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

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
        if (_disposed) return;
        _disposed = true;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
    }
}
