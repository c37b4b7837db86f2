using Steep.Agent;
using Steep.Core.Models;

namespace Steep.Grains.Tests.Support;

/// <summary>The executor of a test whose silo registers no agent (the test plays the agents): never asked.</summary>
public sealed class NoAgentRuns : IProcessChainExecutor
{
    /// <inheritdoc />
    public Task<ProcessChainOutcome> ExecuteAsync(ProcessChain chain, CancellationToken ct) =>
        throw new InvalidOperationException("no agent runs chains in this test");
}
