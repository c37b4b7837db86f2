using Orleans.Concurrency;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;

namespace Steep.Grains;

/// <summary>An agent (keyed by its id): runs one process chain at a time on the machine of its silo.</summary>
[Alias("steep.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Registers the agent with the scheduler.</summary>
    [Alias("Register")]
    Task RegisterAsync(IReadOnlyList<string> capabilities);

    /// <summary>Registers the agent again with what it runs (the scheduler's activation may be new: a silo was lost).</summary>
    [Alias("Rejoin")]
    Task RejoinAsync();

    /// <summary>
    /// Whether the agent runs <paramref name="chainId"/>, has reserved it or finished it a moment ago; false from an
    /// agent that never registered (one of a silo that is gone). Answered between the agent's other turns.
    /// </summary>
    [AlwaysInterleave, Alias("Holds")]
    Task<bool> HoldsAsync(string chainId);

    /// <summary>
    /// The silo stops gracefully: the agent takes no more chains and gives back the one it reserved; returns whether
    /// it still runs a chain.
    /// </summary>
    [Alias("Leave")]
    Task<bool> LeaveAsync();

    /// <summary>Kills the chain the agent runs and puts it back to REGISTERED (it did not finish in time).</summary>
    [Alias("HandBack")]
    Task HandBackAsync();

    /// <summary>What is known about this agent; null if it never registered.</summary>
    [Alias("GetInfo")]
    Task<AgentInfo?> GetInfoAsync();

    /// <summary>The <c>estimatedProgress</c> of a chain this agent's silo runs, from a progress estimator plugin; null when unknown.</summary>
    [Alias("GetEstimatedProgress")]
    Task<double?> GetEstimatedProgressAsync(string chainId);

    /// <summary>
    /// Runs a chain; the chain runs in the background. <paramref name="chain"/>, when set, is the chain as its submission
    /// registered it (never run): the chain's activation on this silo starts from it instead of reading the registry.
    /// </summary>
    [OneWay, Alias("Assign")]
    Task AssignAsync(string chainId, ProcessChain? chain);

    /// <summary>The background run of <paramref name="chainId"/> ended.</summary>
    [OneWay, Alias("Completed")]
    Task CompletedAsync(string chainId, ProcessChainOutcome outcome);

    /// <summary>
    /// An agent with <paramref name="capabilities"/> is idle while this one runs a chain: the chain reserved to run next,
    /// if it has not started and that agent can run it, goes back to the front of the queue; otherwise nothing happens.
    /// </summary>
    [OneWay, Alias("Release")]
    Task ReleaseAsync(IReadOnlyList<string> capabilities);

    /// <summary>Kills the chain if this agent runs it.</summary>
    [OneWay, Alias("Cancel")]
    Task CancelAsync(string chainId);
}
