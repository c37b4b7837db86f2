using Orleans.Concurrency;
using Steep.Core.Scheduling;

namespace Steep.Grains;

/// <summary>The one scheduler of a cluster (key <see cref="SchedulerGrain.Key"/>): matches waiting chains to idle agents.</summary>
[Alias("steep.ISchedulerGrain")]
public interface ISchedulerGrain : IGrainWithStringKey
{
    /// <summary>Number of chains waiting.</summary>
    [Alias("Queued")]
    Task<int> QueuedAsync();

    /// <summary>Adds chains to the queue (new ones in registration order; requeued ones go first).</summary>
    [OneWay, Alias("Enqueue")]
    Task EnqueueAsync(IReadOnlyList<QueuedChain> chains);

    /// <summary>Drops a queued chain (it was cancelled).</summary>
    [OneWay, Alias("Remove")]
    Task RemoveAsync(string chainId);

    /// <summary>
    /// Drops every queued chain of the submission (none of them has been handed to an agent); returns their ids. The
    /// submission's chains that agents run or have reserved are not affected.
    /// </summary>
    [Alias("RemoveSubmission")]
    Task<IReadOnlyList<string>> RemoveSubmissionAsync(string submissionId);

    /// <summary>
    /// Gives waiting chains a new priority: those of submission <paramref name="submissionId"/> when it is set, else
    /// the chain <paramref name="chainId"/>. Chains already running are not affected.
    /// </summary>
    [OneWay, Alias("SetPriority")]
    Task SetPriorityAsync(string? submissionId, string? chainId, int priority);

    /// <summary>
    /// An agent of silo <paramref name="silo"/> joined, or joined again (a new scheduler activation after a silo was
    /// lost): <paramref name="busySlots"/> is how many chains it runs or has reserved (0 to 2).
    /// </summary>
    [Alias("RegisterAgent")]
    Task RegisterAgentAsync(string agentId, IReadOnlyList<string> capabilities, string silo, int busySlots);

    /// <summary>Forgets the agents of silos that are gone (dead or left); returns how many.</summary>
    [Alias("ForgetSilos")]
    Task<int> ForgetSilosAsync(IReadOnlyList<string> silos);

    /// <summary>An agent left.</summary>
    [Alias("UnregisterAgent")]
    Task UnregisterAgentAsync(string agentId);

    /// <summary>A slot of the agent is free again: a chain it ran or had reserved ended, was declined or was given back.</summary>
    [OneWay, Alias("AgentIdle")]
    Task AgentIdleAsync(string agentId);
}
