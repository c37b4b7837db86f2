using System.Diagnostics;
using System.Text;

namespace Steep.EndToEnd.Tests;

/// <summary>Runs the `steep` command as a user would: through the ./steep launcher at the repository root.</summary>
internal static class SteepCli
{
    public static string RepositoryRoot { get; } = FindRoot();

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Steep.Orleans.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new InvalidOperationException("repository root (Steep.Orleans.sln) not found");
    }

    public static ProcessStartInfo StartInfo(params string[] args)
    {
        // STEEP_TEST_BINARY runs an already built steep instead of the launcher (quicker while developing)
        var binary = Environment.GetEnvironmentVariable("STEEP_TEST_BINARY") is { Length: > 0 } b ? b : null;
        var psi = new ProcessStartInfo(binary ?? Path.Combine(RepositoryRoot, "steep"))
        {
            WorkingDirectory = RepositoryRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (binary is not null) psi.Environment["STEEP_HOME"] = RepositoryRoot; // what the launcher sets
        return psi;
    }

    public static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(TimeSpan timeout, params string[] args)
    {
        using var p = Process.Start(StartInfo(args))!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await p.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"steep {string.Join(' ', args)} did not finish within {timeout}: {await stderr}");
        }
        return (p.ExitCode, await stdout, await stderr);
    }

    public static string TempDirectory(string name)
    {
        var dir = Path.Combine(Path.GetTempPath(), "steep-e2e-" + name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static string WriteScript(string dir, string name, string body)
    {
        var path = Path.Combine(dir, name);
        File.WriteAllText(path, "#!/bin/sh\n" + body.Replace("\r\n", "\n"), new UTF8Encoding(false));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute);
        return path;
    }
}
