using Steep.Persistence.InMemory;

namespace Steep.Grains.Tests.Support;

/// <summary>The grains' services as cluster mode wires them, for tests whose silo registers no agent (the test plays the agents).</summary>
public static class ClusterWiring
{
    /// <summary>
    /// Services on <paramref name="store"/> with RUNNING written as a chain starts and no chains handed to their first
    /// activation (a chain's grain may be on another silo than its submission's), and an executor that is never asked.
    /// </summary>
    public static SteepServices WithoutAgents(InMemoryStore store) =>
        new(store, store, TestServices.All, new SteepPaths("/tmp/t", "/tmp/o", "/tmp/l"), new NoAgentRuns(), new EventHub(), TimeProvider.System)
        {
            StartRecordDelay = TimeSpan.Zero, FreshChains = new FreshChains(capacity: 0),
        };
}
