using Steep.Core.Models;
using Steep.Core.Validation;
using Steep.Contracts;
using Steep.Grains;
using Steep.Persistence;
using Steep.Persistence.Search;
using Steep.Plugins;

namespace Steep.Api;

/// <summary>What the HTTP API needs from a running Steep instance; the API keeps no state of its own.</summary>
public interface ISteepInstance
{
    /// <summary>Submissions (with their workflows and chain counts).</summary>
    ISubmissionStore Submissions { get; }

    /// <summary>Process chains and their run-time state.</summary>
    IProcessChainStore ProcessChains { get; }

    /// <summary>Searches submissions and process chains (Steep 6's <c>/search</c>) in the store's indexes.</summary>
    IRegistrySearch Search { get; }

    /// <summary>The service metadata the instance knows.</summary>
    IReadOnlyList<Service> ServiceMetadata { get; }

    /// <summary>The folder holding the process chain logs (<c>&lt;chainId&gt;.log</c>, <c>&lt;chainId&gt;.&lt;run&gt;.log</c> from the second run on).</summary>
    string LogDirectory { get; }

    /// <summary>Version, build, commit and build time of the running software.</summary>
    SteepVersion Version { get; }

    /// <summary>The plugin descriptors the instance was started with (<c>GET /plugins</c>).</summary>
    IReadOnlyList<PluginDescriptor> Plugins => [];

    /// <summary>
    /// The <c>estimatedProgress</c> (0.0 to 1.0) of a running chain, from a progress estimator plugin of the silo whose
    /// agent runs it; null when unknown.
    /// </summary>
    Task<double?> EstimatedProgressAsync(StoredProcessChain chain, CancellationToken ct) => Task.FromResult<double?>(null);

    /// <summary>
    /// Validates and stores a workflow, then starts it. <paramref name="source"/> is the text exactly as the client
    /// sent it (Steep's <c>source</c>), null when there is none.
    /// </summary>
    /// <exception cref="WorkflowRejectedException">the workflow has problems; nothing was stored.</exception>
    Task<Submission> SubmitAsync(Workflow workflow, string? source, CancellationToken ct);

    /// <summary>Sets a submission's priority and that of its unfinished chains (refused once it has finished).</summary>
    Task<PriorityChange> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct);

    /// <summary>Sets a process chain's priority (refused once it has finished).</summary>
    Task<PriorityChange> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct);

    /// <summary>Cancels a submission; false if it is unknown.</summary>
    Task<bool> CancelAsync(string submissionId, CancellationToken ct);

    /// <summary>Cancels one process chain; false if it is unknown.</summary>
    Task<bool> CancelProcessChainAsync(string processChainId, CancellationToken ct);

    /// <summary>
    /// Looks for the log <paramref name="fileName"/> of a chain (last run by <paramref name="agentId"/>) on the other silos
    /// of a cluster, when this one has no such file; null when there is nothing to look at (no cluster, no silo has it).
    /// </summary>
    Task<RemoteLogLookup?> FindLogOnOtherSilosAsync(string fileName, string? agentId, CancellationToken ct) => Task.FromResult<RemoteLogLookup?>(null);

    /// <summary>The agents' current state.</summary>
    Task<IReadOnlyList<AgentInfo>> GetAgentsAsync(CancellationToken ct);

    /// <summary>Subscribes to submission, process chain and agent changes; dispose the subscription to stop.</summary>
    Subscription SubscribeEvents();

    /// <summary>
    /// Like <see cref="SubscribeEvents"/>, but in a cluster only this silo's events: for what each silo counts of its
    /// own (metrics), so that the sum over the silos counts every event once.
    /// </summary>
    Subscription SubscribeLocalEvents() => SubscribeEvents();

    /// <summary>Checks the instance's parts (store reachable, runtime running, …).</summary>
    Task<IReadOnlyList<HealthPart>> CheckHealthAsync(CancellationToken ct);
}
