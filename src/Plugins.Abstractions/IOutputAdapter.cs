using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>
/// An <c>outputAdapter</c> plugin: after a process chain ran, collects the values of each output argument whose
/// <c>dataType</c> is the descriptor's <c>supportedDataType</c>, instead of steep's default (the file itself, or the
/// files of a <c>directory</c>). An exception fails the chain with an error naming the plugin.
/// </summary>
public interface IOutputAdapter
{
    /// <summary>
    /// The values (usually file paths) of <paramref name="output"/>; its <c>Variable.Value</c> is the path the service was
    /// given, relative paths resolved against <paramref name="workingDirectory"/>.
    /// </summary>
    Task<IReadOnlyList<string>> CollectAsync(Argument output, ProcessChain processChain, string workingDirectory, CancellationToken ct);
}
