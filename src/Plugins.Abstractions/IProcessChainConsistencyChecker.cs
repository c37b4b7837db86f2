using Steep.Core.Models;

namespace Steep.Plugins;

/// <summary>
/// A <c>processChainConsistencyChecker</c> plugin: asked before an execute action joins a process chain that already
/// has executables. Returning false starts a new chain for the action later (it is not dropped). Must be a pure
/// function of its arguments: steep asks again when it rebuilds a submission after a restart. An exception fails the
/// submission with an error naming the plugin.
/// </summary>
public interface IProcessChainConsistencyChecker
{
    /// <summary>Whether <paramref name="action"/> may be appended to <paramref name="processChain"/>.</summary>
    bool IsConsistent(IReadOnlyList<Executable> processChain, ExecuteAction action, Workflow workflow);
}
