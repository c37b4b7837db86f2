using System.Diagnostics;
using Steep.Core.Models;
using static Steep.Agent.Tests.Chains;

namespace Steep.Agent.Tests;

/// <summary>Runs alone so that parallel tests do not skew the timing.</summary>
[CollectionDefinition(nameof(OverheadCollection), DisableParallelization = true)]
public sealed class OverheadCollection;

[Collection(nameof(OverheadCollection))]
public sealed class OverheadTests : IDisposable
{
    private const int Rounds = 40;
    private const int PerChain = 5;
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task TheAgentAddsWellUnderAMillisecondPerExecutable()
    {
        var executor = new LocalProcessChainExecutor(new AgentOptions { WorkingDirectory = _dir.Path, LogDirectory = _dir["logs"] });
        var agent = new List<double>();
        var raw = new List<double>();
        for (int i = 0; i < Rounds + 5; i++)
        {
            // alternate the order so that neither side always runs right after the other
            for (int side = 0; side < 2; side++)
            {
                var watch = Stopwatch.StartNew();
                if ((side + i) % 2 == 0)
                {
                    var chain = Of(Enumerable.Range(0, PerChain).Select(j => Exe("/bin/true", Param("x"), Output("o" + j, $"out/{i}/{j}"))).ToArray());
                    Assert.Equal(ProcessChainStatus.Success, (await executor.ExecuteAsync(chain, CancellationToken.None)).Status);
                    if (i >= 5) agent.Add(watch.Elapsed.TotalMilliseconds / PerChain);
                }
                else
                {
                    for (int j = 0; j < PerChain; j++) await StartTrueAsync();
                    if (i >= 5) raw.Add(watch.Elapsed.TotalMilliseconds / PerChain);
                }
            }
        }
        double overhead = Median(agent) - Median(raw);
        Assert.True(overhead < 1.0, $"agent {Median(agent):F3} ms, bare process start {Median(raw):F3} ms per executable");
    }

    /// <summary>The least a runner must do: start with redirected output, read it, wait for the exit.</summary>
    private static async Task StartTrueAsync()
    {
        var psi = new ProcessStartInfo("/bin/true")
        {
            UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
        };
        psi.ArgumentList.Add("x");
        using var p = Process.Start(psi)!;
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        await Task.WhenAll(stdout, stderr);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted[sorted.Count / 2];
    }
}
