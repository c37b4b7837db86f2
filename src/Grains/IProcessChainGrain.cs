using Orleans.Concurrency;
using Steep.Agent;
using Steep.Persistence;

namespace Steep.Grains;

/// <summary>One process chain (keyed by its id): owns its status, agent, times and results, kept in the registry.</summary>
[Alias("steep.IProcessChainGrain")]
public interface IProcessChainGrain : IGrainWithStringKey
{
    /// <summary>The stored chain (null if unknown).</summary>
    [Alias("Get")]
    Task<StoredProcessChain?> GetAsync();

    /// <summary>Marks the chain RUNNING on <paramref name="agentId"/> and returns it; null if it must not run (cancelled, finished or unknown).</summary>
    [Alias("Start")]
    Task<StoredProcessChain?> StartAsync(string agentId);

    /// <summary>
    /// Reserves the chain for <paramref name="agentId"/>, which runs it next (after the chain it runs now) without asking
    /// again: returns it while it stays REGISTERED; null if it must not run (cancelled, finished, unknown or reserved
    /// by another agent).
    /// </summary>
    [Alias("Reserve")]
    Task<StoredProcessChain?> ReserveAsync(string agentId);

    /// <summary>
    /// The agent that reserved the chain has started it: marks it RUNNING. A chain cancelled in the meantime is
    /// killed on that agent instead.
    /// </summary>
    [OneWay, Alias("Started")]
    Task StartedAsync(string agentId);

    /// <summary>
    /// Stores how the run of <paramref name="agentId"/> ended and tells the submission; ignored unless that agent runs the
    /// chain (an agent whose run was given to another, or one killing a chain it should not have started, reports too).
    /// </summary>
    [OneWay, Alias("Complete")]
    Task CompleteAsync(string agentId, ProcessChainOutcome outcome);

    /// <summary>Cancels the chain: a queued one is dropped at once, a running one is killed by its agent.</summary>
    [Alias("Cancel")]
    Task CancelAsync();

    /// <summary>The agent that reserved the chain gives it back unstarted (its silo stops): it goes back to the queue.</summary>
    [Alias("Unreserve")]
    Task UnreserveAsync(string agentId);

    /// <summary>
    /// After a silo was lost: a RUNNING chain whose agent no longer holds it (the agent was on that silo) goes back to
    /// REGISTERED and into the queue; returns whether it did, or null when its agent did not answer in time (the
    /// recovery has to ask again). A chain an agent still runs is left alone.
    /// </summary>
    [Alias("Recover")]
    Task<bool?> RecoverAsync();

    /// <summary>The agent <paramref name="agentId"/> killed the chain it ran (its silo stops): the chain goes back into the queue (at-least-once execution).</summary>
    [Alias("Requeue")]
    Task RequeueAsync(string agentId);
}
