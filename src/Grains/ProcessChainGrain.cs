using Microsoft.Extensions.DependencyInjection;
using Orleans.Placement;
using Steep.Grains.Placement;
using Steep.Agent;
using Steep.Core.Models;
using Steep.Core.Scheduling;
using Steep.Contracts;
using Steep.Persistence;

namespace Steep.Grains;

/// <summary>One process chain's run-time state (status, agent, times, results, run count), kept in the store.</summary>
[PreferLocalPlacement] // activated by the agent that takes it first: on the silo whose machine runs it, and without a placement round
public sealed class ProcessChainGrain(SteepServices services) : Grain, IProcessChainGrain
{
    private StoredProcessChain? _chain;
    private string? _cancelledBeforeStart;
    private Task? _startWrite; // the RUNNING write, while it is on its way
    private ProcessChainUpdate? _unrecordedStart; // RUNNING not written yet: by the timer, or together with the end
    private IGrainTimer? _startTimer;
    private string? _reservedBy; // the agent that runs this chain next

    private string ChainId => this.GetPrimaryKeyString();

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken ct) =>
        _chain = services.FreshChains.TryTake(ChainId, out var fresh)
            ? new StoredProcessChain(fresh, null, 0, 0) // its store sequence is unknown here; only a requeue needs it
            : await services.Chains.GetAsync(ChainId, ct);

    /// <inheritdoc />
    public Task<StoredProcessChain?> GetAsync() => Task.FromResult(_chain);

    /// <inheritdoc />
    public async Task<StoredProcessChain?> StartAsync(string agentId)
    {
        // the same agent asking again: its first request went unanswered in time (the database was away while this
        // grain activated) but was carried out; the agent runs nothing yet, so it runs this start
        if (_chain is { Chain.Status: ProcessChainStatus.Running } running && running.AgentId == agentId
            && (_startWrite is not null || _unrecordedStart is not null)) return running;
        if (_reservedBy is not null && _reservedBy != agentId) await DropStaleReservationAsync();
        return MayRun(agentId) ? MarkRunning(agentId) : null;
    }

    /// <inheritdoc />
    public async Task<StoredProcessChain?> ReserveAsync(string agentId)
    {
        if (_reservedBy is not null && _reservedBy != agentId) await DropStaleReservationAsync();
        if (!MayRun(agentId)) return null;
        _reservedBy = agentId;
        return _chain;
    }

    /// <summary>
    /// Another agent asks for a chain that is reserved: if the reserving agent no longer holds it (its silo is gone),
    /// the reservation is dropped, so that the chain does not wait for an agent that will never start it.
    /// </summary>
    private async Task DropStaleReservationAsync()
    {
        if (_reservedBy is not { } reserver) return;
        if (await AgentHoldsAsync(reserver) == false && _reservedBy == reserver) _reservedBy = null;
    }

    /// <summary>Whether the agent holds this chain; null when it cannot be told (no answer in time).</summary>
    private async Task<bool?> AgentHoldsAsync(string agentId)
    {
        try
        {
            return await GrainRef<IAgentGrain>.Get(GrainFactory, agentId).HoldsAsync(ChainId).WaitAsync(HoldsPatience);
        }
        catch (TimeoutException)
        {
            return null; // a silo that is slow, not gone: no answer
        }
        catch (SiloUnavailableException)
        {
            return false; // its silo is gone and the agent cannot be activated anywhere
        }
        catch (OrleansException)
        {
            // another error (a message rejected, an activation that failed) says nothing by itself: taking it for "gone"
            // would run a chain twice whose agent runs it still. Gone is what the membership says; else ask again later.
            return SiloLiveness.IsGone(ServiceProvider.GetRequiredService<IClusterMembershipService>().CurrentSnapshot, agentId) ? false : null;
        }
    }

    private static readonly TimeSpan HoldsPatience = TimeSpan.FromSeconds(5);

    /// <inheritdoc />
    public async Task UnreserveAsync(string agentId)
    {
        if (_reservedBy != agentId) return;
        _reservedBy = null;
        if (!MayRun(agentId) || _chain is null) return;
        var q = new QueuedChain(ChainId, _chain.Chain.SubmissionId ?? "", _chain.Chain.RequiredCapabilities, Math.Max(1, _chain.Sequence), _chain.Chain.Priority ?? 0);
        await GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrain.Key).EnqueueAsync([q]);
    }

    /// <inheritdoc />
    public async Task<bool?> RecoverAsync()
    {
        if (_chain is not { Chain.Status: ProcessChainStatus.Running, AgentId: { } agent }) return false;
        switch (await AgentHoldsAsync(agent))
        {
            case true: return false;
            case null: return null; // a slow silo, not a gone one: the recovery asks again rather than leave the chain RUNNING
        }
        // the agent that ran it is gone with its silo (its processes with it): the chain runs again elsewhere
        if (_chain is not { Chain.Status: ProcessChainStatus.Running } || _chain.AgentId != agent) return false;
        await RequeueRunningAsync();
        return true;
    }

    /// <inheritdoc />
    public Task StartedAsync(string agentId)
    {
        if (MayRun(agentId)) MarkRunning(agentId);
        else if (_chain?.Chain.Status != ProcessChainStatus.Running || _chain.AgentId != agentId)
            GrainRef<IAgentGrain>.Get(GrainFactory, agentId).CancelAsync(ChainId).Ignore(); // cancelled meanwhile
        return Task.CompletedTask;
    }

    private bool MayRun(string agentId) =>
        _chain is not null && _chain.Chain.Status == ProcessChainStatus.Registered && _cancelledBeforeStart is null
        && (_reservedBy is null || _reservedBy == agentId);

    private StoredProcessChain MarkRunning(string agentId)
    {
        _reservedBy = null;
        var now = services.Clock.GetUtcNow();
        var chain = _chain!;
        int run = chain.RunNumber + 1;
        _chain = chain with { Chain = chain.Chain with { Status = ProcessChainStatus.Running, StartTime = now }, AgentId = agentId, RunNumber = run };
        // RUNNING is written only once the chain has run for a moment (SteepServices.StartRecordDelay): a chain that
        // ends sooner is written once, its start with its end (one registry write instead of two). If this process
        // dies before either, the store still says REGISTERED and the chain runs again after the restart, as a chain
        // that was running would. Observers hear of the start only once it is stored; every later write of this chain
        // waits for it.
        _unrecordedStart = new ProcessChainUpdate(ChainId)
        {
            Status = ProcessChainStatus.Running, StartTime = now, AgentId = agentId, RunNumber = run,
        };
        if (services.StartRecordDelay <= TimeSpan.Zero)
        {
            _ = RecordStart(); // written at once (cluster mode)
            return _chain;
        }
        if (_startTimer is null)
        {
            _startTimer = this.RegisterGrainTimer(static (g, _) => g.RecordStart(), this,
                new GrainTimerCreationOptions(services.StartRecordDelay, Timeout.InfiniteTimeSpan));
        }
        else _startTimer.Change(services.StartRecordDelay, Timeout.InfiniteTimeSpan);
        return _chain;
    }

    /// <summary>Writes the pending RUNNING (the chain has run for <see cref="SteepServices.StartRecordDelay"/>, or goes back to the queue).</summary>
    private Task RecordStart()
    {
        if (_unrecordedStart is not { } start) return Task.CompletedTask;
        _unrecordedStart = null;
        _startWrite = WriteStartAsync(start, StartedEvent(start));
        return Task.CompletedTask; // the write goes on outside this turn; the chain's next write waits for it
    }

    /// <summary>Takes the pending RUNNING, to be written with the end; null when it was written (or is on its way).</summary>
    private ProcessChainUpdate? TakeUnrecordedStart()
    {
        var start = _unrecordedStart;
        _unrecordedStart = null;
        _startTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        return start;
    }

    private ProcessChainEvent StartedEvent(ProcessChainUpdate start) =>
        new(ChainId, _chain?.Chain.SubmissionId ?? "", ProcessChainStatus.Running, start.AgentId, null, null);

    private async Task WriteStartAsync(ProcessChainUpdate update, ProcessChainEvent started)
    {
        await services.Chains.UpdateAsync(update, default);
        services.Events.ProcessChainChanged(started);
    }

    /// <summary>Waits for the RUNNING write; when it failed, <paramref name="next"/> carries the start as well.</summary>
    private async Task<ProcessChainUpdate> AfterStartWriteAsync(ProcessChainUpdate next)
    {
        var pending = _startWrite;
        _startWrite = null;
        if (pending is null) return next;
        try
        {
            await pending;
            return next;
        }
        catch (Exception)
        {
            // the registry never had this run: nothing to bind the write to
            return next.Reset ? next with { InRun = null }
                : next with { InRun = null, StartTime = _chain?.Chain.StartTime, AgentId = _chain?.AgentId, RunNumber = _chain?.RunNumber };
        }
    }

    /// <inheritdoc />
    public async Task CompleteAsync(string agentId, ProcessChainOutcome outcome)
    {
        // only the run of the agent it was given to ends it: another agent's report is of a run that is not this one
        // (one killed because the chain had been given to another agent meanwhile ends CANCELLED, which must not stick)
        if (_chain is null || _chain.Chain.Status != ProcessChainStatus.Running || _chain.AgentId != agentId) return;
        var now = services.Clock.GetUtcNow();
        var end = new ProcessChainUpdate(ChainId)
        {
            Status = outcome.Status, EndTime = now, Results = outcome.Results, ErrorMessage = outcome.ErrorMessage,
        };
        var start = TakeUnrecordedStart();
        // a chain that ended before its RUNNING was written: one write with its start, its run and its end; else the end
        // of the run that is stored, and only while the chain is still in it
        if (!await services.Chains.UpdateAsync(start is null ? await AfterStartWriteAsync(end with { InRun = _chain.RunNumber })
            : end with { StartTime = start.StartTime, AgentId = start.AgentId, RunNumber = start.RunNumber }, default))
        {
            await ForgetStaleRunAsync();
            return;
        }
        if (start is not null) services.Events.ProcessChainChanged(StartedEvent(start));
        var c = _chain.Chain;
        _chain = _chain with { Chain = c with { Status = outcome.Status, EndTime = now, Results = outcome.Results, ErrorMessage = outcome.ErrorMessage } };
        services.Events.ProcessChainChanged(new ProcessChainEvent(ChainId, c.SubmissionId ?? "", outcome.Status, _chain.AgentId,
            c.StartTime is { } s ? now - s : null, c.Executables.Count > 0 ? c.Executables[0].ServiceId : null));
        NotifySubmission(outcome.Status, outcome.Results, outcome.ExecutedExecutableIds, outcome.ErrorMessage);
    }

    /// <inheritdoc />
    public async Task CancelAsync()
    {
        if (_chain is null) return;
        switch (_chain.Chain.Status)
        {
            case ProcessChainStatus.Registered:
                _cancelledBeforeStart = "cancelled";
                GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrain.Key).RemoveAsync(ChainId).Ignore();
                // an agent that reserved it drops it (or kills it, if it started it before hearing of this)
                if (_reservedBy is { } reserved) GrainRef<IAgentGrain>.Get(GrainFactory, reserved).CancelAsync(ChainId).Ignore();
                await services.Chains.UpdateAsync(new ProcessChainUpdate(ChainId) { Status = ProcessChainStatus.Cancelled, EndTime = services.Clock.GetUtcNow() }, default);
                _chain = _chain with { Chain = _chain.Chain with { Status = ProcessChainStatus.Cancelled } };
                services.Events.ProcessChainChanged(new ProcessChainEvent(ChainId, _chain.Chain.SubmissionId ?? "", ProcessChainStatus.Cancelled, null, null, null));
                // stays active (until collected when idle): an assignment already on its way carries the chain as
                // registered, which an activation made by it would take for the truth (see QueuedChain.Chain)
                NotifySubmission(ProcessChainStatus.Cancelled, null, [], null, deactivate: false);
                break;
            case ProcessChainStatus.Running when _chain.AgentId is { } agent:
                GrainRef<IAgentGrain>.Get(GrainFactory, agent).CancelAsync(ChainId).Ignore();
                break;
        }
    }

    /// <inheritdoc />
    public Task RequeueAsync(string agentId) =>
        _chain is { Chain.Status: ProcessChainStatus.Running } && _chain.AgentId == agentId ? RequeueRunningAsync() : Task.CompletedTask;

    /// <summary>Puts the RUNNING chain back to REGISTERED (its run ended as interrupted) and into the queue.</summary>
    private async Task RequeueRunningAsync()
    {
        if (_chain is null || _chain.Chain.Status != ProcessChainStatus.Running) return;
        // a start not written yet is written first, so that the run is kept, ended as interrupted (rare: no shortcut)
        if (_unrecordedStart is not null)
        {
            _startTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            await RecordStart();
        }
        var requeue = new ProcessChainUpdate(ChainId) { Status = ProcessChainStatus.Registered, Reset = true, InRun = _chain.RunNumber };
        if (!await services.Chains.UpdateAsync(await AfterStartWriteAsync(requeue), default))
        {
            await ForgetStaleRunAsync();
            return;
        }
        _chain = _chain with { Chain = _chain.Chain with { Status = ProcessChainStatus.Registered, StartTime = null }, AgentId = null };
        // any positive sequence puts a requeued chain before the new ones
        var q = new QueuedChain(ChainId, _chain.Chain.SubmissionId ?? "", _chain.Chain.RequiredCapabilities, Math.Max(1, _chain.Sequence), _chain.Chain.Priority ?? 0);
        GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrain.Key).EnqueueAsync([q]).Ignore();
    }

    /// <summary>
    /// The registry no longer has the chain in the run this activation knows: another activation of the chain (Orleans
    /// may briefly have two while silos join or die) requeued or restarted it. The run's end or requeue is not stored and
    /// the submission hears nothing of it; this activation takes the registry's state and goes, so that the next call
    /// finds the one that is current.
    /// </summary>
    private async Task ForgetStaleRunAsync()
    {
        _chain = await services.Chains.GetAsync(ChainId, default);
        DeactivateOnIdle();
    }

    private void NotifySubmission(string status, IReadOnlyDictionary<string, IReadOnlyList<string>>? results, IReadOnlyList<string> executed, string? error,
        bool deactivate = true)
    {
        if (_chain?.Chain.SubmissionId is not { } sid) return;
        GrainRef<ISubmissionGrain>.Get(GrainFactory, sid).ChainFinishedAsync(new ChainFinished(ChainId, status, results, executed, error)).Ignore();
        if (deactivate) DeactivateOnIdle();
    }
}
