using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>
/// A <c>runtime</c> plugin: runs the executables whose service metadata names the descriptor's
/// <c>supportedRuntime</c>. Return when the executable succeeded; throw when it failed (the message becomes the
/// chain's error, prefixed with the plugin's name). Retry policies apply as to built-in runtimes.
/// </summary>
public interface IRuntime
{
    /// <summary>Runs <paramref name="executable"/>; cancelling <paramref name="ct"/> must stop it.</summary>
    Task ExecuteAsync(Executable executable, IRuntimeContext context, CancellationToken ct);
}
