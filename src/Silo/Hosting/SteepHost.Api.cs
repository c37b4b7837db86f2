using Steep.Api;
using Steep.Core.Models;
using Steep.Contracts;
using Steep.Grains;
using Steep.Persistence;
using Steep.Persistence.Search;

namespace Steep.Silo.Hosting;

/// <summary>The host as the HTTP API sees it (<see cref="ISteepInstance"/>).</summary>
public sealed partial class SteepHost : ISteepInstance
{
    private static readonly TimeSpan HealthTimeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan RemoteProgressTimeout = TimeSpan.FromSeconds(2);
    private static readonly Lazy<SteepVersion> SoftwareVersion = new(() => SteepVersion.FromAssembly(typeof(SteepHost).Assembly));

    /// <inheritdoc />
    public SteepVersion Version => SoftwareVersion.Value;

    ISubmissionStore ISteepInstance.Submissions => Services.Submissions;

    IProcessChainStore ISteepInstance.ProcessChains => Services.Chains;

    // every store implements the search with its own indexes
    IRegistrySearch ISteepInstance.Search => Services.Chains as IRegistrySearch
        ?? throw new NotSupportedException($"The registry {Services.Chains.GetType().Name} cannot search.");

    IReadOnlyList<Service> ISteepInstance.ServiceMetadata => Services.Services;

    string ISteepInstance.LogDirectory => Services.Paths.LogPath;

    IReadOnlyList<Steep.Plugins.PluginDescriptor> ISteepInstance.Plugins => Settings.Plugins.Descriptors;

    // a chain's progress is known where its agent runs it: here, or in cluster mode on the agent's silo
    async Task<double?> ISteepInstance.EstimatedProgressAsync(StoredProcessChain chain, CancellationToken ct)
    {
        if (Settings.Progress.Get(chain.Chain.Id) is { } local) return local;
        if (Settings.Cluster is null || chain.AgentId is not { } agentId || AgentIds.Contains(agentId)) return null;
        try
        {
            var grains = await Grains.WaitAsync(ct);
            return await grains.GetGrain<IAgentGrain>(agentId).GetEstimatedProgressAsync(chain.Chain.Id).WaitAsync(RemoteProgressTimeout, ct);
        }
        catch (Exception e) when (e is TimeoutException or OrleansException)
        {
            return null; // the agent's silo is gone or slow: a list of chains must not fail for an estimate
        }
    }

    // API submissions keep their text (Steep's `source`)
    async Task<Submission> ISteepInstance.SubmitAsync(Workflow workflow, string? source, CancellationToken ct)
    {
        var grains = await Grains.WaitAsync(ct);
        return await new SubmissionIntake(Services, grains).SubmitAsync(workflow, ct, source);
    }

    // Priorities are written to the store only; ordering the scheduler's queue by them is the grains' part.
    async Task<PriorityChange> ISteepInstance.SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct)
    {
        if (await Services.Submissions.GetAsync(submissionId, ct) is not { } s) return PriorityChange.NotFound;
        if (SubmissionStatus.IsFinal(s.Status)) return PriorityChange.Finished;
        // the submission's grain stores it and reorders its waiting chains in the scheduler's queue
        var grains = await Grains.WaitAsync(ct);
        return await grains.GetGrain<ISubmissionGrain>(submissionId).SetPriorityAsync(priority) ? PriorityChange.Changed : PriorityChange.Finished;
    }

    async Task<PriorityChange> ISteepInstance.SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct)
    {
        if (await Services.Chains.GetAsync(processChainId, ct) is not { } c) return PriorityChange.NotFound;
        // as Steep 6.9: REGISTERED, PAUSED and RUNNING chains take a new priority, finished ones do not
        if (c.Chain.Status is not (ProcessChainStatus.Registered or ProcessChainStatus.Running or StoreStatuses.Paused)) return PriorityChange.Finished;
        if (!await Services.Chains.SetProcessChainPriorityAsync(processChainId, priority, ct)) return PriorityChange.NotFound;
        var grains = await Grains.WaitAsync(ct);
        await grains.GetGrain<ISchedulerGrain>(SchedulerGrain.Key).SetPriorityAsync(null, processChainId, priority);
        return PriorityChange.Changed;
    }

    Task<bool> ISteepInstance.CancelProcessChainAsync(string processChainId, CancellationToken ct) => CancelChainAsync(processChainId, ct);

    Task<IReadOnlyList<AgentInfo>> ISteepInstance.GetAgentsAsync(CancellationToken ct) => GetAgentsAsync();

    Subscription ISteepInstance.SubscribeEvents() => Events.Subscribe();

    Subscription ISteepInstance.SubscribeLocalEvents() => Events.Subscribe(localOnly: true);

    /// <inheritdoc />
    public async Task<IReadOnlyList<HealthPart>> CheckHealthAsync(CancellationToken ct)
    {
        HealthPart store;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
        {
            timeout.CancelAfter(HealthTimeout);
            try
            {
                var page = await Services.Submissions.ListAsync(0, 0, null, timeout.Token);
                store = new HealthPart("store", true, page.Total);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                store = new HealthPart("store", false, Message: $"the store did not answer within {HealthTimeout.TotalSeconds} s");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                store = new HealthPart("store", false, Message: $"the store is not reachable: {e.Message}");
            }
        }
        var runtime = IsStopping
            ? new HealthPart("runtime", false, Message: "the silo is stopping")
            : _grains.Task.IsCompletedSuccessfully ? new HealthPart("runtime", true)
            : new HealthPart("runtime", false, Message: "the silo is not running");
        return [store, runtime, new HealthPart("agents", true, AgentIds.Count)];
    }
}
