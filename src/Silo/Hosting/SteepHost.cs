using Steep.Agent;
using Steep.Core.Models;
using Steep.Core.Serialization;
using Steep.Core.Validation;
using Steep.Grains;
using Steep.Grains.Runtime;
using Steep.Persistence;
using Steep.Persistence.InMemory;
using Steep.Persistence.Sqlite;

namespace Steep.Silo.Hosting;

/// <summary>
/// One embedded Steep instance: grain runtime, store, local agents. Used by <c>run</c>, <c>resume</c> and <c>serve</c>.
/// </summary>
public sealed partial class SteepHost : IAsyncDisposable
{
    private readonly GrainRuntime _runtime;
    private readonly IAsyncDisposable? _storeLifetime;
    private readonly DataDirectoryLock _lock;

    private SteepHost(HostSettings settings, SteepServices services, GrainRuntime runtime, EventHub events, IAsyncDisposable? storeLifetime,
        DataDirectoryLock dataLock)
    {
        Settings = settings;
        Services = services;
        _runtime = runtime;
        Events = events;
        _storeLifetime = storeLifetime;
        _lock = dataLock;
    }

    /// <summary>The settings the host was started with.</summary>
    public HostSettings Settings { get; }

    /// <summary>Stores, services and paths shared with the grains.</summary>
    public SteepServices Services { get; }

    /// <summary>Changes of submissions, chains and agents.</summary>
    public EventHub Events { get; }

    /// <summary>The local agents' ids.</summary>
    public IReadOnlyList<string> AgentIds { get; private set; } = [];

    /// <summary>Opens the store, recovers from a crash, registers the local agents and (optionally) resumes submissions.</summary>
    public static async Task<SteepHost> StartAsync(HostSettings settings, CancellationToken ct)
    {
        var dataLock = DataDirectoryLock.Acquire(settings.DataDirectory);
        try
        {
            return await StartLockedAsync(settings, dataLock, ct);
        }
        catch
        {
            dataLock.Dispose();
            throw;
        }
    }

    private static async Task<SteepHost> StartLockedAsync(HostSettings settings, DataDirectoryLock dataLock, CancellationToken ct)
    {
        var paths = new SteepPaths(settings.TmpPath, settings.OutPath, Path.Combine(settings.DataDirectory, "logs"));
        Directory.CreateDirectory(paths.LogPath);

        ISubmissionStore submissions;
        IProcessChainStore chains;
        IAsyncDisposable? lifetime = null;
        if (settings.StoreKind == "memory")
        {
            var memory = new InMemoryStore();
            submissions = memory;
            chains = memory;
        }
        else
        {
            var sqlite = new SqliteStore(Path.Combine(settings.DataDirectory, "steep.db"));
            submissions = sqlite;
            chains = sqlite;
            lifetime = sqlite;
        }

        var executor = new LocalProcessChainExecutor(new AgentOptions
        {
            LogDirectory = paths.LogPath,
            ServiceDirectories = settings.ServiceDirectories,
            DockerVolumes = settings.DockerVolumes,
            DockerEnvironment = settings.DockerEnvironment.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
        });
        var events = new EventHub();
        var services = new SteepServices(submissions, chains, settings.Services, paths, executor, events, TimeProvider.System);

        var runtime = new GrainRuntime(new GrainRuntimeOptions { IdleTimeout = TimeSpan.FromMinutes(2) });
        runtime.Register(_ => new SubmissionGrain(services));
        runtime.Register(_ => new ProcessChainGrain(services));
        runtime.Register(_ => new SchedulerGrain());
        runtime.Register(_ => new AgentGrain(services));
        var host = new SteepHost(settings, services, runtime, events, lifetime, dataLock);

        // Embedded mode: every agent lived in this process, so chains that were RUNNING when it stopped run again
        // (at-least-once); SUCCESS chains are never touched.
        var orphans = await chains.ListByStatusAsync(ProcessChainStatus.Running, ct);
        if (orphans.Count > 0)
        {
            await chains.UpdateManyAsync(orphans.Select(o => new ProcessChainUpdate(o.Chain.Id)
            {
                Status = ProcessChainStatus.Registered, Reset = true,
            }).ToList(), ct);
        }

        var agentIds = new List<string>();
        var machine = Environment.MachineName.ToLowerInvariant();
        for (int i = 1; i <= settings.AgentCount; i++)
        {
            var id = $"{machine}-{Environment.ProcessId}-{i}";
            agentIds.Add(id);
            await runtime.Get<AgentGrain>(id).CallAsync(a => a.RegisterAsync(settings.AgentCapabilities));
        }
        host.AgentIds = agentIds;
        return host;
    }

    /// <summary>Resumes every unfinished submission; returns their ids.</summary>
    public async Task<IReadOnlyList<string>> ResumeAllAsync(CancellationToken ct)
    {
        var ids = await Services.Submissions.ListUnfinishedIdsAsync(ct);
        foreach (var id in ids) await _runtime.Get<SubmissionGrain>(id).CallAsync(g => g.StartAsync());
        return ids;
    }

    /// <summary>Validates and stores a workflow, then starts it.</summary>
    /// <exception cref="WorkflowRejectedException">the workflow has problems; nothing was stored.</exception>
    public async Task<Submission> SubmitAsync(Workflow workflow, CancellationToken ct)
    {
        var problems = WorkflowValidator.Validate(workflow, Services.Services);
        if (problems.Count > 0) throw new WorkflowRejectedException(problems);
        var submission = new Submission
        {
            Id = UniqueIds.Next(Services.Clock),
            Workflow = workflow with { Api = workflow.Api ?? Workflow.LatestApiVersion },
            Status = SubmissionStatus.Accepted,
            RequiredCapabilities = RequiredCapabilities(workflow),
        };
        await Services.Submissions.AddAsync(submission, ct);
        await _runtime.Get<SubmissionGrain>(submission.Id).CallAsync(g => g.StartAsync());
        return submission;
    }

    /// <summary>Cancels a submission; false if it is unknown.</summary>
    public async Task<bool> CancelAsync(string submissionId, CancellationToken ct)
    {
        if (await Services.Submissions.GetAsync(submissionId, ct) is null) return false;
        await _runtime.Get<SubmissionGrain>(submissionId).CallAsync(g => g.CancelAsync());
        return true;
    }

    /// <summary>Cancels one process chain; false if it is unknown.</summary>
    public async Task<bool> CancelChainAsync(string chainId, CancellationToken ct)
    {
        if (await Services.Chains.GetAsync(chainId, ct) is null) return false;
        await _runtime.Get<ProcessChainGrain>(chainId).CallAsync(g => g.CancelAsync());
        return true;
    }

    /// <summary>The local agents' state.</summary>
    public async Task<IReadOnlyList<AgentInfo>> GetAgentsAsync()
    {
        var list = new List<AgentInfo>();
        foreach (var id in AgentIds)
        {
            if (await _runtime.Get<AgentGrain>(id).CallAsync(a => a.GetInfoAsync()) is { } info) list.Add(info);
        }
        return list;
    }

    /// <summary>Waits until the given submissions are finished; returns them.</summary>
    public async Task<IReadOnlyList<Submission>> WaitForAsync(IReadOnlyCollection<string> ids, Action<SubmissionEvent>? progress, CancellationToken ct)
    {
        using var sub = Events.Subscribe();
        var pending = new HashSet<string>(ids);
        foreach (var id in ids)
        {
            var s = await Services.Submissions.GetAsync(id, ct);
            if (s is null || SubmissionStatus.IsFinal(s.Status)) pending.Remove(id);
        }
        while (pending.Count > 0)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            tick.CancelAfter(TimeSpan.FromSeconds(2));
            bool quiet = false;
            try
            {
                while (sub.Events.TryRead(out var e) || (e = await sub.Events.ReadAsync(tick.Token)) is not null)
                {
                    if (e is not SubmissionEvent se || !pending.Contains(se.SubmissionId)) continue;
                    progress?.Invoke(se);
                    if (SubmissionStatus.IsFinal(se.Status) && se.Running == 0) pending.Remove(se.SubmissionId);
                    if (pending.Count == 0) break;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                quiet = true;
            }
            if (!quiet) continue;
            // no event for a while: look at the store (an event may have been dropped by a full subscription)
            foreach (var id in pending.ToList())
            {
                var s = await Services.Submissions.GetAsync(id, ct);
                if (s is null || (SubmissionStatus.IsFinal(s.Status) && s.EndTime is not null)) pending.Remove(id);
            }
        }
        var result = new List<Submission>();
        foreach (var id in ids) if (await Services.Submissions.GetAsync(id, ct) is { } s) result.Add(s);
        return result;
    }

    private IReadOnlyList<string> RequiredCapabilities(Workflow workflow)
    {
        var byId = Services.Services.ToDictionary(s => s.Id);
        var caps = new SortedSet<string>(StringComparer.Ordinal);
        void Visit(IEnumerable<WorkflowAction> actions)
        {
            foreach (var a in actions)
            {
                if (a is ExecuteAction e && byId.TryGetValue(e.Service, out var s)) caps.UnionWith(s.RequiredCapabilities);
                if (a is ForEachAction f) Visit(f.Actions);
            }
        }
        Visit(workflow.Actions);
        return caps.ToList();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _runtime.StopAsync(CancellationToken.None);
        if (_storeLifetime is not null) await _storeLifetime.DisposeAsync();
        _lock.Dispose();
    }
}
