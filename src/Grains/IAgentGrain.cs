using Orleans.Concurrency;
using Steep.Agent;
using Steep.Contracts;

namespace Steep.Grains;

/// <summary>An agent (keyed by its id): runs one process chain at a time on the machine of its silo.</summary>
[Alias("steep.IAgentGrain")]
public interface IAgentGrain : IGrainWithStringKey
{
    /// <summary>Registers the agent with the scheduler.</summary>
    [Alias("Register")]
    Task RegisterAsync(IReadOnlyList<string> capabilities);

    /// <summary>What is known about this agent; null if it never registered.</summary>
    [Alias("GetInfo")]
    Task<AgentInfo?> GetInfoAsync();

    /// <summary>The <c>estimatedProgress</c> of a chain this agent's silo runs, from a progress estimator plugin; null when unknown.</summary>
    [Alias("GetEstimatedProgress")]
    Task<double?> GetEstimatedProgressAsync(string chainId);

    /// <summary>Runs a chain; the chain runs in the background.</summary>
    [OneWay, Alias("Assign")]
    Task AssignAsync(string chainId);

    /// <summary>The background run of <paramref name="chainId"/> ended.</summary>
    [OneWay, Alias("Completed")]
    Task CompletedAsync(string chainId, ProcessChainOutcome outcome);

    /// <summary>Kills the chain if this agent runs it.</summary>
    [OneWay, Alias("Cancel")]
    Task CancelAsync(string chainId);
}
