using System.Diagnostics;
using Steep.EndToEnd.Tests;
using Xunit.Abstractions;

namespace Steep.Cluster.Tests;

/// <summary>
/// The container image built and run here, without a registry or a network: <c>deploy/test-image.sh</c> builds it with
/// <c>deploy/build-image.sh</c>, runs example workflows with <c>steep run</c> as the container's process 1, and a
/// <c>steep serve</c> container that answers /health, runs a submission and stops gracefully on <c>docker stop</c>.
/// Skipped where no Docker engine answers (<c>docker info</c>).
/// </summary>
public sealed class ContainerImageTests(ITestOutputHelper output)
{
    private static readonly string Script = Path.Combine(SteepCli.RepositoryRoot, "deploy", "test-image.sh");

    [SkippableFact]
    public async Task The_image_builds_offline_runs_workflows_and_serves()
    {
        Skip.IfNot(await DockerAnswersAsync(), "no Docker engine answers here (docker info failed): the container image is not tested");
        var psi = new ProcessStartInfo(Script) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = SteepCli.RepositoryRoot };
        // an image of this test's own, so that a user's steep:local is left alone
        psi.Environment["STEEP_IMAGE"] = "steep-test:local";
        psi.Environment["STEEP_BASE_IMAGE"] = "steep-test-base:local";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // the build may first build the command (minutes on a loaded machine)
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(timeout.Token);
        output.WriteLine(await stdout);
        output.WriteLine(await stderr);

        Assert.True(process.ExitCode == 0, $"deploy/test-image.sh failed ({process.ExitCode}): {await stdout}\n{await stderr}");
        var passed = (await stdout).Split('\n').Where(l => l.StartsWith("ok: ", StringComparison.Ordinal)).ToList();
        Assert.Equal(5, passed.Count);
    }

    private static async Task<bool> DockerAnswersAsync()
    {
        try
        {
            var psi = new ProcessStartInfo("docker", "info") { RedirectStandardOutput = true, RedirectStandardError = true };
            using var process = Process.Start(psi)!;
            var drain = Task.WhenAll(process.StandardOutput.ReadToEndAsync(), process.StandardError.ReadToEndAsync());
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await process.WaitForExitAsync(timeout.Token);
            await drain;
            return process.ExitCode == 0;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            return false; // not installed, or an engine that does not answer
        }
    }
}
