using Steep.Core.Models;
using Steep.Contracts;
using Steep.Grains;
using Steep.Persistence;

namespace Steep.Api.Tests.Support;

/// <summary>Passes everything to an instance and counts the event subscriptions that are open.</summary>
public sealed class CountingInstance(ISteepInstance inner) : ISteepInstance
{
    private int _open;

    public int OpenSubscriptions => Volatile.Read(ref _open);

    public ISubmissionStore Submissions => inner.Submissions;
    public IProcessChainStore ProcessChains => inner.ProcessChains;
    public Persistence.Search.IRegistrySearch Search => inner.Search;
    public IReadOnlyList<Service> ServiceMetadata => inner.ServiceMetadata;
    public string LogDirectory => inner.LogDirectory;
    public SteepVersion Version => inner.Version;
    public Task<Submission> SubmitAsync(Workflow workflow, string? source, CancellationToken ct) => inner.SubmitAsync(workflow, source, ct);
    public Task<PriorityChange> SetSubmissionPriorityAsync(string submissionId, int priority, CancellationToken ct) =>
        inner.SetSubmissionPriorityAsync(submissionId, priority, ct);
    public Task<PriorityChange> SetProcessChainPriorityAsync(string processChainId, int priority, CancellationToken ct) =>
        inner.SetProcessChainPriorityAsync(processChainId, priority, ct);
    public Task<bool> CancelAsync(string submissionId, CancellationToken ct) => inner.CancelAsync(submissionId, ct);
    public Task<bool> CancelProcessChainAsync(string processChainId, CancellationToken ct) => inner.CancelProcessChainAsync(processChainId, ct);
    public Task<IReadOnlyList<AgentInfo>> GetAgentsAsync(CancellationToken ct) => inner.GetAgentsAsync(ct);
    public Task<IReadOnlyList<HealthPart>> CheckHealthAsync(CancellationToken ct) => inner.CheckHealthAsync(ct);
    public IReadOnlyList<Steep.Plugins.PluginDescriptor> Plugins => inner.Plugins;
    public Task<double?> EstimatedProgressAsync(StoredProcessChain chain, CancellationToken ct) => inner.EstimatedProgressAsync(chain, ct);

    public Subscription SubscribeEvents()
    {
        var s = inner.SubscribeEvents();
        Interlocked.Increment(ref _open);
        int disposed = 0;
        return new Subscription(s.Events, () =>
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0) Interlocked.Decrement(ref _open);
            s.Dispose();
        });
    }
}
