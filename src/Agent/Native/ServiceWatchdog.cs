using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace Steep.Agent.Native;

/// <summary>
/// The <c>steep-watchdog</c> of this process (Native/watchdog/steep-watchdog.c, built next to the program; why a
/// watchdog is explained there): every service is registered with it while it runs, and the watchdog kills the
/// services' process groups when this process ends, however it ends.
/// </summary>
internal sealed class ServiceWatchdog
{
    /// <summary>The environment variable that marks every process this one starts (read by steep-watchdog).</summary>
    public const string MarkVariable = "STEEP_SERVICE_OF";

    private static readonly Lazy<ServiceWatchdog?> Instance = new(Start);

    private readonly Lock _gate = new();
    private readonly StreamWriter _input;
    private bool _broken;

    private ServiceWatchdog(StreamWriter input) => _input = input;

    /// <summary>The watchdog of this process, started on first use; null where there is none (not built, not Linux).</summary>
    public static ServiceWatchdog? Shared => Instance.Value;

    /// <summary>Registers a service process (the leader of its own process group) that has just started.</summary>
    public void Started(int pid, ulong startTime) =>
        Write($"+{pid.ToString(CultureInfo.InvariantCulture)} {startTime.ToString(CultureInfo.InvariantCulture)}\n");

    /// <summary>Unregisters a service process that has ended.</summary>
    public void Ended(int pid) => Write($"-{pid.ToString(CultureInfo.InvariantCulture)}\n");

    private void Write(string line)
    {
        lock (_gate)
        {
            if (_broken) return;
            try
            {
                _input.Write(line);
                _input.Flush();
            }
            catch (IOException)
            {
                // the watchdog is gone (killed by someone): services then live on until the next start's OrphanReaper
                _broken = true;
            }
        }
    }

    private static ServiceWatchdog? Start()
    {
        // STEEP_NO_WATCHDOG=1 turns it off (tests of the second line of defence, OrphanReaper, use it)
        if (!OperatingSystem.IsLinux() || Environment.GetEnvironmentVariable("STEEP_NO_WATCHDOG") == "1") return null;
        var path = Path.Combine(AppContext.BaseDirectory, "steep-watchdog");
        if (!File.Exists(path)) return null;
        // only stdin is redirected: the pipe's write end stays in this process alone (.NET opens it close-on-exec, so
        // services do not inherit it), and its end-of-file is the watchdog's signal
        // the mark every child of this process carries from now on (the spawn launcher's environment block is built
        // after this, on its first spawn): the watchdog also kills what was spawned but not yet registered at a crash
        var token = string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}-{Convert.ToHexString(RandomNumberGenerator.GetBytes(8))}");
        Environment.SetEnvironmentVariable(MarkVariable, token);
        var psi = new ProcessStartInfo(path, [token]) { UseShellExecute = false, RedirectStandardInput = true };
        try
        {
            var process = Process.Start(psi);
            if (process is null) return null;
            return new ServiceWatchdog(process.StandardInput);
        }
        catch (Win32Exception)
        {
            return null;
        }
    }
}
