using Orleans.GrainDirectory;
using Steep.Grains.Placement;
using Steep.Agent;
using Steep.Contracts;
using Steep.Core.Models;
using Steep.Core.Scheduling;
using Steep.Persistence;

namespace Steep.Grains;

/// <summary>
/// An agent: its capabilities, whether it is busy, the chain it runs (executed in the background) and the one it has
/// reserved to run next, so that a finished chain is followed at once, without a round through the scheduler.
/// </summary>
[KeepAlive] // what it runs lives only in memory: being collected during a long chain would lose the chain's end
[GrainDirectory(SteepPlacement.DurableDirectory)] // survives the death of another silo (see SteepPlacement)
[SiloBoundPlacement] // on the silo its id names, the machine whose processes it runs, even when activated from elsewhere
public sealed class AgentGrain(SteepServices services, ILocalSiloDetails silo) : Grain, IAgentGrain
{
    private IReadOnlyList<string> _capabilities = [];
    private DateTimeOffset _startTime;
    private DateTimeOffset _changed;
    private string? _current;
    private CancellationTokenSource? _cts;
    private Task<ProcessChainOutcome?>? _run; // its outcome; null when it was killed
    private bool _registered;
    private bool _leaving; // the silo stops gracefully: no new chains
    private volatile bool _stopping; // the silo stops: a chain killed for that is not reported (it runs again later)
    private readonly Queue<string> _recent = new(); // chains finished a moment ago, whose outcome may still be on its way
    private string? _taking; // the chain whose grain is being asked to start or reserve it for this agent (see HoldsAsync)
    private const int RecentKept = 16;

    private string AgentId => this.GetPrimaryKeyString();

    private ISchedulerGrain? _scheduler;
    private IAgentGrain? _self;
    private IProcessChainGrain? _currentGrain;
    private (string Id, IProcessChainGrain Grain, ProcessChain Chain, int RunNumber)? _next; // reserved: runs when the current chain ends

    private ISchedulerGrain Scheduler => _scheduler ??= GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrain.Key);

    private string SiloKey => silo.SiloAddress.ToParsableString();

    private int BusySlots => (_current is null ? 0 : 1) + (_next is null ? 0 : 1);

    /// <inheritdoc />
    public async Task RegisterAsync(IReadOnlyList<string> capabilities)
    {
        _capabilities = capabilities;
        _startTime = _changed = services.Clock.GetUtcNow();
        _registered = true;
        _leaving = false;
        services.Events.AgentChanged(new AgentEvent(AgentId, "registered", null));
        await Scheduler.RegisterAgentAsync(AgentId, capabilities, SiloKey, BusySlots);
    }

    /// <inheritdoc />
    public async Task RejoinAsync()
    {
        if (!_registered || _leaving) return;
        await Scheduler.RegisterAgentAsync(AgentId, _capabilities, SiloKey, BusySlots);
    }

    /// <inheritdoc />
    public Task<bool> HoldsAsync(string chainId)
    {
        if (!_registered)
        {
            // activated by this question: the agent of that id lived on a silo that is gone
            DeactivateOnIdle();
            return Task.FromResult(false);
        }
        // a chain being taken counts: its grain marked it RUNNING before this agent has its answer, and a recovery asking
        // in between must not put it back in the queue while it is about to run here
        return Task.FromResult(_current == chainId || _next?.Id == chainId || _taking == chainId || _recent.Contains(chainId));
    }

    /// <inheritdoc />
    public async Task<bool> LeaveAsync()
    {
        if (_registered && !_leaving)
        {
            _leaving = true;
            await Scheduler.UnregisterAgentAsync(AgentId);
            services.Events.AgentChanged(new AgentEvent(AgentId, "leaving", _current));
        }
        if (_next is { } next)
        {
            // the reserved chain has not started: another agent runs it
            _next = null;
            await next.Grain.UnreserveAsync(AgentId);
        }
        return _current is not null;
    }

    /// <inheritdoc />
    public async Task HandBackAsync()
    {
        if (_current is not { } chainId || _cts is null || _run is null) return;
        var chainGrain = _currentGrain ?? GrainRef<IProcessChainGrain>.Get(GrainFactory, chainId);
        var run = _run;
        _stopping = true;
        await _cts.CancelAsync();
        ProcessChainOutcome? outcome = null;
        try
        {
            outcome = await run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
            // the process tree was told to die and does not say it did; the chain goes back all the same
        }
        _current = null;
        _currentGrain = null;
        _cts.Dispose();
        _cts = null;
        _run = null;
        _changed = services.Clock.GetUtcNow();
        services.Events.AgentChanged(new AgentEvent(AgentId, "idle", null));
        if (outcome is null) await chainGrain.RequeueAsync(AgentId); // killed: REGISTERED again, another silo's agent runs it
        else
        {
            Remember(chainId);
            await chainGrain.CompleteAsync(AgentId, outcome); // it ended just before it was told to
        }
    }

    private void Remember(string chainId)
    {
        _recent.Enqueue(chainId);
        while (_recent.Count > RecentKept) _recent.Dequeue();
    }

    /// <inheritdoc />
    public Task<AgentInfo?> GetInfoAsync() => Task.FromResult(_registered
        ? new AgentInfo(AgentId, _current is null, _capabilities, _startTime, _changed, _current, silo.Name, Environment.MachineName)
        : null);

    /// <inheritdoc />
    public Task<double?> GetEstimatedProgressAsync(string chainId) => Task.FromResult(services.Progress.Get(chainId));

    /// <inheritdoc />
    public async Task AssignAsync(string chainId, ProcessChain? chain)
    {
        if (chain is null)
        {
            await AssignAsync(chainId);
            return;
        }
        // handed to the chain's activation if this call makes one here (the chain's grain is placed with its first
        // caller); taken back afterwards, so that it never outlives the assignment and goes stale
        services.FreshChains.Hand(chain);
        try
        {
            await AssignAsync(chainId);
        }
        finally
        {
            services.FreshChains.TryTake(chainId, out _);
        }
    }

    private async Task AssignAsync(string chainId)
    {
        var chainGrain = GrainRef<IProcessChainGrain>.Get(GrainFactory, chainId);
        if (!_registered || _leaving)
        {
            // an agent of a silo that is gone (this activation was made by the assignment) or one that leaves: the
            // chain goes back to the queue
            if (!_registered) DeactivateOnIdle();
            var back = await PatientlyAsync(chainGrain.GetAsync);
            if (back is { Chain.Status: ProcessChainStatus.Registered })
                await Scheduler.EnqueueAsync([new QueuedChain(chainId, back.Chain.SubmissionId ?? "", back.Chain.RequiredCapabilities, 1, back.Chain.Priority ?? 0)]);
            return;
        }
        if (_current is null)
        {
            var stored = await TakingAsync(chainId, () => chainGrain.StartAsync(AgentId));
            if (stored is null) await Scheduler.AgentIdleAsync(AgentId); // the slot is free again
            else Run(chainId, chainGrain, stored.Chain, stored.RunNumber);
            return;
        }
        if (_next is null)
        {
            // the chain to run as soon as the current one ends, without a round through the scheduler
            var reserved = await TakingAsync(chainId, () => chainGrain.ReserveAsync(AgentId));
            if (reserved is null) await Scheduler.AgentIdleAsync(AgentId);
            else
            {
                _next = (chainId, chainGrain, reserved.Chain, reserved.RunNumber + 1); // the run it will be marked as
                _taking = null;
            }
            return;
        }
        // the scheduler counted a slot this agent does not have: give the chain back, at the front of the queue
        var stored0 = await PatientlyAsync(chainGrain.GetAsync);
        if (stored0 is null) return;
        await Scheduler.EnqueueAsync([new QueuedChain(chainId, stored0.Chain.SubmissionId ?? "", stored0.Chain.RequiredCapabilities, 1, stored0.Chain.Priority ?? 0)]);
    }

    private void Run(string chainId, IProcessChainGrain chainGrain, ProcessChain chain, int runNumber)
    {
        _current = chainId;
        if (_taking == chainId) _taking = null;
        _currentGrain = chainGrain;
        _changed = services.Clock.GetUtcNow();
        services.Events.AgentChanged(new AgentEvent(AgentId, "busy", chainId));
        _cts = new CancellationTokenSource();
        var self = _self ??= this.AsReference<IAgentGrain>();
        var token = _cts.Token;
        // the chain runs outside the grain's turns (it may take hours); its end comes back as a message
        _run = Task.Run<ProcessChainOutcome?>(async () =>
        {
            ProcessChainOutcome outcome;
            try
            {
                outcome = await services.Executor.ExecuteAsync(chain, runNumber, token);
            }
            catch (OperationCanceledException)
            {
                outcome = new ProcessChainOutcome(ProcessChainStatus.Cancelled, null, null, []);
            }
            catch (Exception e)
            {
                outcome = new ProcessChainOutcome(ProcessChainStatus.Error, null, $"The agent failed to run the chain: {e.Message}", []);
            }
            if (!token.IsCancellationRequested || !_stopping) await self.CompletedAsync(chainId, outcome);
            return token.IsCancellationRequested ? null : outcome;
        });
    }

    /// <inheritdoc />
    public async Task CompletedAsync(string chainId, ProcessChainOutcome outcome)
    {
        if (_current != chainId) return;
        var finished = _currentGrain ?? GrainRef<IProcessChainGrain>.Get(GrainFactory, chainId);
        _current = null;
        _currentGrain = null;
        _cts?.Dispose();
        _cts = null;
        _run = null;
        Remember(chainId);
        if (_next is { } next && outcome.Status != ProcessChainStatus.Cancelled)
        {
            // the reserved chain starts now; its grain marks it RUNNING (or has it killed, if it was cancelled meanwhile)
            _next = null;
            Run(next.Id, next.Grain, next.Chain, next.RunNumber);
            next.Grain.StartedAsync(AgentId).Ignore();
        }
        else if (_next is { } afterCancel)
        {
            // a cancelled chain often means a cancelled submission, whose other chains' cancels are on their way: ask
            // first, so that a reserved chain that is cancelled too never starts
            _next = null;
            if (await TakingAsync(afterCancel.Id, () => afterCancel.Grain.StartAsync(AgentId)) is { } stored) Run(afterCancel.Id, afterCancel.Grain, stored.Chain, stored.RunNumber);
            else await Scheduler.AgentIdleAsync(AgentId); // its slot is free as well
        }
        if (_current is null)
        {
            _changed = services.Clock.GetUtcNow();
            services.Events.AgentChanged(new AgentEvent(AgentId, "idle", null));
        }
        // Recording the outcome need not delay the next chain, nor hold this agent's turn: CompleteAsync is one-way, and
        // the chain's grain stores the outcome before it tells the submission (a grain waiting for the database does not
        // hold this agent up). If this process dies before it is stored, the chain is still RUNNING in the store and runs
        // again after the restart (at-least-once). The writes of many agents meanwhile share group commits.
        await finished.CompleteAsync(AgentId, outcome);
        await Scheduler.AgentIdleAsync(AgentId); // the finished chain's slot is free
    }

    /// <summary>
    /// When the silo stops (the process shuts down), kills the running chain instead of leaving its processes
    /// behind. Its end is not stored, so it stays RUNNING and goes back to REGISTERED on the next start.
    /// </summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_cts is null || _run is null) return;
        _stopping = true;
        _cts.Cancel();
        try
        {
            await _run.WaitAsync(TimeSpan.FromSeconds(5), cancellationToken);
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // the process tree was told to die; the shutdown does not wait any longer
        }
    }

    /// <summary>
    /// A start or reservation of <paramref name="chainId"/>, during which the agent holds it (<see cref="HoldsAsync"/>);
    /// a chain it got stays held until the caller has made it the current or the next one.
    /// </summary>
    private async Task<StoredProcessChain?> TakingAsync(string chainId, Func<Task<StoredProcessChain?>> call)
    {
        _taking = chainId;
        StoredProcessChain? taken = null;
        try
        {
            return taken = await PatientlyAsync(call);
        }
        finally
        {
            if (taken is null) _taking = null;
        }
    }

    /// <summary>
    /// A call to a chain's grain, made again while it times out: the grain is being activated from the registry while
    /// the database is unreachable for a while (the store waits for it). An unanswered call that
    /// expired in the grain's queue was dropped there; one that ran late is harmless to repeat (the chain's grain answers
    /// the same agent's request again the same way). After about 2 minutes, the registry's own patience, it gives up.
    /// </summary>
    private static async Task<T> PatientlyAsync<T>(Func<Task<T>> call)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call();
            }
            catch (TimeoutException) when (attempt < PatientAttempts)
            {
                // asked again at once: the call itself waited for the response timeout
            }
        }
    }

    private const int PatientAttempts = 8;

    /// <inheritdoc />
    public async Task CancelAsync(string chainId)
    {
        if (_current == chainId) _cts?.Cancel();
        else if (_next?.Id == chainId)
        {
            _next = null;
            await Scheduler.AgentIdleAsync(AgentId);
        }
    }

    /// <inheritdoc />
    public async Task ReleaseAsync(IReadOnlyList<string> capabilities)
    {
        if (_next is not { } next || !ChainQueue.Satisfies(capabilities, next.Chain.RequiredCapabilities)) return;
        _next = null;
        await next.Grain.UnreserveAsync(AgentId); // back to the front of the queue, for the idle agent
        await Scheduler.AgentIdleAsync(AgentId);
    }
}
