using System.Text.Json;
using Orleans.GrainDirectory;
using Steep.Grains.Placement;
using Steep.Core.Generator;
using Steep.Core.Models;
using Steep.Core.Scheduling;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;
using Steep.Contracts;
using Steep.Persistence;
using Steep.Core.Serialization;

namespace Steep.Grains;

/// <summary>
/// Drives one submission: runs the generator, stores each step's input together with the chains it produced (one
/// transaction), hands the chains to the scheduler, feeds finished chains back, and finishes the submission.
/// After a crash it rebuilds the generator by replaying the stored steps, so nothing is lost and nothing re-runs.
/// </summary>
[GrainDirectory(SteepPlacement.DurableDirectory)] // the distributed directory: the loss of another silo does not deactivate it (see SteepPlacement)
public sealed class SubmissionGrain(SteepServices services, ILogger<SubmissionGrain> logger) : Grain, ISubmissionGrain
{
    private readonly ObserverManager<ISubmissionObserver> _observers = new(ISubmissionGrain.SubscriptionLifetime, logger);
    private Submission? _submission;
    private ProcessChainGenerator? _generator;
    private long _step;
    private readonly HashSet<string> _open = new();     // REGISTERED or RUNNING chains of this submission
    private readonly List<ChainFinished> _inbox = new();
    private readonly HashSet<string> _inboxIds = new();
    private readonly Dictionary<string, List<string>> _results = new();
    private readonly HashSet<string> _storedOutputs = new();
    private readonly HashSet<string> _forEachOutputs = new();
    private int _total, _succeeded, _failed, _cancelled;
    private string? _firstError;
    private bool _stepScheduled;
    private IGrainTimer? _stepTimer;
    private bool _cancelRequested;
    private bool _heardSinceTick; // a chain's report arrived since the reconcile timer's last tick
    private int? _workflowPriority;
    private Workflow? _workflow; // only when process chain adapters need it

    private string SubmissionId => this.GetPrimaryKeyString();

    private ISchedulerGrain? _scheduler;
    private ISubmissionGrain? _self;

    private ISchedulerGrain Scheduler => _scheduler ??= GrainFactory.GetGrain<ISchedulerGrain>(SchedulerGrain.Key);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken ct)
    {
        _submission = await services.Submissions.GetAsync(SubmissionId, ct);
        if (_submission is null || SubmissionStatus.IsFinal(_submission.Status)) return;
        _cancelRequested = _submission.Status == SubmissionStatus.Cancelled;
        var workflow = _submission.Workflow ?? throw new InvalidOperationException($"Submission {SubmissionId} has no workflow");
        CollectStoredOutputs(workflow.Actions);
        // the workflow is kept only where plugins need it: its declared values (a million for-each items) live on in
        // the generator, which converted them, and need not be held twice; the source text is not needed at all
        _workflowPriority = workflow.Priority;
        _workflow = services.GeneratorPlugins is { HasAdapters: true } ? workflow : null;
        // (a submission's priority defaults to its workflow's: pinned before the workflow goes)
        _submission = _submission with { Priority = _submission.Priority, Workflow = null, Source = null };
        var consumed = new HashSet<string>(); // finished chains whose outcome the generator has seen (only needed here)

        // the services it was accepted with; older submissions stored none and run with the silo's
        _generator = new ProcessChainGenerator(workflow, _submission.ServiceMetadata ?? services.Services, new GeneratorOptions(
            Path.Combine(services.Paths.TmpPath, SubmissionId), Path.Combine(services.Paths.OutPath, SubmissionId), IdSeed(SubmissionId))
            { ConsistencyCheck = services.GeneratorPlugins?.ConsistencyCheckFor(workflow) });
        foreach (var step in await services.Submissions.GetStepsAsync(SubmissionId, 0, ct))
        {
            var input = JsonSerializer.Deserialize<StepInput>(step.Input, SteepJson.Options)!;
            // the budget the step had (steps stored before lazy unrolling had none: everything at once)
            try { _generator.Generate(input.Results, input.Executed, input.Budget); }
            catch (GeneratorException) { /* the step failed the same way before; its failure is stored */ }
            foreach (var id in input.Chains) consumed.Add(id);
            AddResults(input.Results);
            _step = step.Step;
        }

        foreach (var c in await services.Chains.ListBySubmissionAsync(SubmissionId, null, ct))
        {
            _total++;
            var status = c.Chain.Status;
            if (status is ProcessChainStatus.Registered or ProcessChainStatus.Running) _open.Add(c.Chain.Id);
            else
            {
                Count(status!, c.Chain.ErrorMessage);
                if (!consumed.Contains(c.Chain.Id))
                {
                    // finished before the crash, but its outcome never reached the generator: feed it now
                    _inbox.Add(FinishedAsStored(c));
                    _inboxIds.Add(c.Chain.Id);
                }
            }
        }
        if (services.ReconcileInterval > TimeSpan.Zero)
            this.RegisterGrainTimer(static (g, _) => g.ReconcileIfQuietAsync(), this,
                new GrainTimerCreationOptions(services.ReconcileInterval, services.ReconcileInterval));
    }

    /// <summary>
    /// The timer's check for lost reports, made only when none arrived since the last tick: while chains keep
    /// finishing, their reports are on their way and the registry is ahead of this grain by design.
    /// </summary>
    private Task ReconcileIfQuietAsync()
    {
        if (_heardSinceTick)
        {
            _heardSinceTick = false;
            return Task.CompletedTask;
        }
        return ReconcileAsync();
    }

    /// <summary>A finished chain's outcome as the registry has it, as its grain would have reported it.</summary>
    private static ChainFinished FinishedAsStored(StoredProcessChain c) =>
        new(c.Chain.Id, c.Chain.Status!, c.Chain.Results,
            c.Chain.Status == ProcessChainStatus.Success ? c.Chain.Executables.Select(e => e.Id).ToList() : [], c.Chain.ErrorMessage);

    /// <summary>
    /// Feeds the chains that the registry has as finished but whose report never arrived. A chain's grain stores its end
    /// before it tells this grain, one-way: if the chain's silo dies in between, the report is lost and the submission
    /// would wait for it for ever. Cheap when nothing is missing: the registry's counts are compared with this grain's
    /// first, and only a difference reads the open chains.
    /// </summary>
    private async Task ReconcileAsync()
    {
        if (_generator is null || _submission is null || _open.Count == 0) return;
        var counts = await services.Chains.CountByStatusAsync(SubmissionId, default);
        int finished = counts.GetValueOrDefault(ProcessChainStatus.Success) + counts.GetValueOrDefault(ProcessChainStatus.Error)
            + counts.GetValueOrDefault(ProcessChainStatus.Cancelled);
        if (finished <= _succeeded + _failed + _cancelled) return;
        int fed = 0;
        foreach (var id in _open.ToList())
        {
            if (await services.Chains.GetAsync(id, default) is not { Chain.Status: ProcessChainStatus.Success or ProcessChainStatus.Error or ProcessChainStatus.Cancelled } c) continue;
            await ChainFinishedAsync(FinishedAsStored(c)); // a report that arrives after all is then ignored
            fed++;
        }
        if (fed > 0) logger.LogWarning("Submission {Submission}: {Count} finished chain(s) had not been reported; fed from the registry", SubmissionId, fed);
    }

    /// <inheritdoc />
    public async Task<SubmissionSnapshot?> GetStatusAsync()
    {
        var s = await services.Submissions.GetAsync(SubmissionId, default);
        return s is null ? null : new SubmissionSnapshot(s.Id, s.Status, s.StartTime, s.EndTime, s.RequiredCapabilities,
            s.TotalProcessChains, s.RunningProcessChains, s.SucceededProcessChains, s.FailedProcessChains, s.CancelledProcessChains,
            s.Results, s.ErrorMessage);
    }

    /// <inheritdoc />
    public Task SubscribeAsync(ISubmissionObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task UnsubscribeAsync(ISubmissionObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task StartAsync()
    {
        if (_submission is null || _generator is null) return;
        if (_submission.Status == SubmissionStatus.Accepted)
        {
            var now = services.Clock.GetUtcNow();
            await services.Submissions.UpdateAsync(new SubmissionUpdate(SubmissionId) { Status = SubmissionStatus.Running, StartTime = now }, default);
            _submission = _submission with { Status = SubmissionStatus.Running, StartTime = now };
            Publish();
        }
        if (_cancelRequested) { await CancelAsync(); return; }
        // a recovery starts this grain again after silos were lost: a chain whose silo died after storing its end,
        // before its report, is fed from the registry
        await ReconcileAsync();
        // chains registered before a restart go back to the scheduler, in registration order
        var waiting = await services.Chains.ListBySubmissionAsync(SubmissionId, ProcessChainStatus.Registered, default);
        if (waiting.Count > 0)
        {
            var queued = waiting.Select(c => new QueuedChain(c.Chain.Id, SubmissionId, c.Chain.RequiredCapabilities, 0, c.Chain.Priority ?? 0)).ToList();
            await Scheduler.EnqueueAsync(queued);
        }
        // the first step runs before the start is acknowledged: an accepted submission has its first chains registered
        // (in the order of submission) by the time its submitter hears of it
        if (_step == 0 || _inbox.Count > 0 && !_stepScheduled) await RunStepAsync();
        else await FinishIfDoneAsync();
    }

    /// <inheritdoc />
    public Task ChainFinishedAsync(ChainFinished finished)
    {
        var chainId = finished.ChainId;
        // a chain that is not open was consumed already (or dropped by a cancel): a repeated report changes nothing
        if (_generator is null || !_open.Contains(chainId) || !_inboxIds.Add(chainId)) return Task.CompletedTask;
        _heardSinceTick = true;
        _open.Remove(chainId);
        Count(finished.Status, finished.ErrorMessage);
        _inbox.Add(finished);
        ScheduleStep();
        Publish();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task CancelAsync()
    {
        if (_submission is null || SubmissionStatus.IsFinal(_submission.Status) && !_cancelRequested) return;
        if (!_cancelRequested)
        {
            _cancelRequested = true;
            await services.Submissions.UpdateAsync(new SubmissionUpdate(SubmissionId) { Status = SubmissionStatus.Cancelled }, default);
            _submission = _submission with { Status = SubmissionStatus.Cancelled };
        }
        // the chains go in a turn of their own: the cancel is acknowledged (and the caller answered) at once, however
        // many chains there are to drop
        (_self ??= this.AsReference<ISubmissionGrain>()).DropChainsAsync().Ignore();
    }

    /// <inheritdoc />
    public async Task DropChainsAsync()
    {
        if (!_cancelRequested) return;
        await DropOpenChainsAsync();
        await FinishIfDoneAsync();
    }

    /// <summary>
    /// Cancels every open chain: the waiting ones (however many) in one store write, without a grain each; the few that
    /// agents run or have reserved through their grains, which stop them.
    /// </summary>
    private async Task DropOpenChainsAsync()
    {
        var dropped = (await Scheduler.RemoveSubmissionAsync(SubmissionId)).Where(_open.Contains).ToList();
        if (dropped.Count > 0)
        {
            var now = services.Clock.GetUtcNow();
            await services.Chains.UpdateManyAsync(
                dropped.Select(id => new ProcessChainUpdate(id) { Status = ProcessChainStatus.Cancelled, EndTime = now }).ToList(), default);
            foreach (var id in dropped)
            {
                _open.Remove(id); // the generator runs no more: nothing to feed it
                Count(ProcessChainStatus.Cancelled, null);
            }
            Publish();
        }
        foreach (var id in _open.ToList()) GrainRef<IProcessChainGrain>.Get(GrainFactory, id).CancelAsync().Ignore();
    }

    /// <inheritdoc />
    public async Task<bool> SetPriorityAsync(int priority)
    {
        if (_submission is null || SubmissionStatus.IsFinal(_submission.Status)) return false;
        if (!await services.Submissions.SetSubmissionPriorityAsync(SubmissionId, priority, default)) return false;
        _submission = _submission with { Priority = priority };
        await Scheduler.SetPriorityAsync(SubmissionId, null, priority);
        return true;
    }

    private void ScheduleStep()
    {
        if (_stepScheduled) return;
        _stepScheduled = true;
        if (_open.Count >= CoalesceWhenOpen)
        {
            // Many chains are still queued or running, so none waits for this step: it runs a moment later and takes
            // every chain that finished meanwhile. A step per finished chain (its journal row, its chains' insert, a
            // scheduler call) cost about as much CPU as running a short chain.
            _stepTimer ??= this.RegisterGrainTimer(static (g, _) => g.RunScheduledStepAsync(), this,
                new GrainTimerCreationOptions(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan));
            _stepTimer.Change(StepDelay, Timeout.InfiniteTimeSpan);
            return;
        }
        // one turn per burst of finished chains: the step message queues behind the ones already waiting, which are
        // then fed to the generator together
        (_self ??= this.AsReference<ISubmissionGrain>()).RunStepAsync().Ignore();
    }

    /// <summary>The delayed step (see <see cref="ScheduleStep"/>), unless a step ran meanwhile.</summary>
    private Task RunScheduledStepAsync() => _stepScheduled ? RunStepAsync() : Task.CompletedTask;

    /// <summary>From this many open chains on, steps are gathered (<see cref="StepDelay"/>) instead of run at once.</summary>
    internal const int CoalesceWhenOpen = 32;

    /// <summary>How long a gathered step waits for more finished chains: short next to any chain worth a process.</summary>
    internal static readonly TimeSpan StepDelay = TimeSpan.FromMilliseconds(20);

    /// <inheritdoc />
    public async Task RunStepAsync()
    {
        _stepScheduled = false;
        if (_generator is null || _submission is null || SubmissionStatus.IsFinal(_submission.Status) && !_cancelRequested) return;
        var inbox = _inbox.ToList();
        _inbox.Clear();
        _inboxIds.Clear();

        var results = new Dictionary<string, IReadOnlyList<string>>();
        var executed = new List<string>();
        foreach (var f in inbox)
        {
            if (f.Status != ProcessChainStatus.Success) continue;
            if (f.Results is not null) foreach (var (k, v) in f.Results) results[k] = v;
            executed.AddRange(f.ExecutedExecutableIds);
        }
        // lazy unrolling: the step may add as many chains as the window has room for (stored with the step, so that a
        // replay unrolls exactly what this step did)
        int? budget = services.MaxRegisteredChains > 0 ? Math.Max(0, services.MaxRegisteredChains - _open.Count) : null;
        var input = new StepInput(inbox.Select(f => f.ChainId).ToList(), results, executed, budget);

        IReadOnlyList<ProcessChain> chains = [];
        string? generatorError = null;
        if (!_cancelRequested)
        {
            try { chains = _generator.Generate(results, executed, budget); }
            catch (GeneratorException e) { generatorError = e.Message; }
        }
        // plugins: process chain adapters rewrite the step's chains; when one throws, the chains are stored as ERROR
        string? adapterError = null;
        if (chains.Count > 0 && services.GeneratorPlugins is { HasAdapters: true } plugins)
        {
            try { chains = await plugins.AdaptAsync(chains, _workflow!, default); }
            catch (Exception e) when (e is not OutOfMemoryException) { adapterError = e.Message; }
        }
        // the submission's priority, which may have been changed since it was accepted, is its new chains' (unless an
        // adapter gave a chain one of its own)
        int? generated = _workflowPriority;
        int? priority = _submission.Priority == 0 && generated is null ? null : _submission.Priority;
        var stored = chains.Select(c => c with
        {
            SubmissionId = SubmissionId, Status = ProcessChainStatus.Registered, Priority = c.Priority == generated ? priority : c.Priority,
        }).ToList();
        _step++;
        await services.Submissions.CommitStepAsync(SubmissionId,
            new GeneratorStep(_step, JsonSerializer.SerializeToUtf8Bytes(input, SteepJson.Options)), stored, default);
        services.FreshChains.Add(stored);
        AddResults(results);

        if (generatorError is not null)
        {
            await FailAsync($"The workflow cannot be processed further: {generatorError}");
            return;
        }
        if (adapterError is not null)
        {
            // the stores register new chains; these never run (a crash before this write runs them unadapted)
            var now = services.Clock.GetUtcNow();
            await services.Chains.UpdateManyAsync(stored.Select(c => new ProcessChainUpdate(c.Id)
                { Status = ProcessChainStatus.Error, ErrorMessage = adapterError, EndTime = now }).ToList(), default);
            _total += stored.Count;
            foreach (var c in stored) Count(ProcessChainStatus.Error, adapterError);
            Publish();
        }
        else if (stored.Count > 0)
        {
            _total += stored.Count;
            foreach (var c in stored) _open.Add(c.Id);
            // the chains travel with their assignment: their grains start from them instead of reading them back
            var queued = stored.Select(c => new QueuedChain(c.Id, SubmissionId, c.RequiredCapabilities, 0, c.Priority ?? 0) { Chain = c }).ToList();
            await Scheduler.EnqueueAsync(queued);
            Publish();
        }
        await FinishIfDoneAsync();
    }

    private async Task FailAsync(string message)
    {
        _firstError ??= message;
        _cancelRequested = true;
        await DropOpenChainsAsync();
        await FinishIfDoneAsync(forcedError: message);
    }

    private async Task FinishIfDoneAsync(string? forcedError = null)
    {
        if (_submission is null || _generator is null) return;
        if (_open.Count > 0 || _inbox.Count > 0 || _stepScheduled) return;
        if (SubmissionStatus.IsFinal(_submission.Status) && _submission.EndTime is not null) return;
        if (forcedError is null && !_cancelRequested && _generator.HasMoreToUnroll)
        {
            // nothing open, but for-each items wait behind their cursor (nested ones, whose window went to their
            // parents): a step of their own, with the whole window as budget
            ScheduleStep();
            return;
        }

        string status;
        string? error = null;
        if (forcedError is not null) { status = SubmissionStatus.Error; error = forcedError; }
        // as Steep 6.9's controller: a submission any of whose chains was cancelled (e.g. one by one through the API)
        // ends CANCELLED, whatever else succeeded or failed
        else if (_cancelRequested || _cancelled > 0) status = SubmissionStatus.Cancelled;
        else if (_failed > 0)
        {
            status = _succeeded > 0 ? SubmissionStatus.PartialSuccess : SubmissionStatus.Error;
            error = _failed == 1 ? $"1 process chain failed: {_firstError}" : $"{_failed} process chains failed; the first: {_firstError}";
        }
        else if (!_generator.IsFinished)
        {
            status = SubmissionStatus.Error;
            error = "The workflow could not be finished: some actions wait for inputs that no action produced.";
        }
        else status = SubmissionStatus.Success;

        var results = status is SubmissionStatus.Success or SubmissionStatus.PartialSuccess ? WorkflowResults() : null;
        var end = services.Clock.GetUtcNow();
        await services.Submissions.UpdateAsync(new SubmissionUpdate(SubmissionId)
        {
            Status = status, EndTime = end, Results = results, ErrorMessage = error,
        }, default);
        _submission = _submission with { Status = status, EndTime = end, Results = results, ErrorMessage = error };
        _cancelRequested = false;
        Publish();
    }

    private IReadOnlyDictionary<string, IReadOnlyList<string>> WorkflowResults()
    {
        // outputs marked `store: true` are the workflow's results; without any, every output is
        var keys = _storedOutputs.Count > 0 ? _results.Keys.Where(IsStoredOutput) : _results.Keys;
        var results = keys.ToDictionary(k => k, k => (IReadOnlyList<string>)_results[k]);
        if (_storedOutputs.Count == 0 && _generator is not null)
        {
            // what for-each actions collected in their output variables
            foreach (var id in _forEachOutputs)
                if (_generator.Values.TryGetValue(id, out var v)) results[id] = ProcessChainGenerator.Flatten(v).ToList();
        }
        return results;
    }

    private bool IsStoredOutput(string varId)
    {
        // unrolled output variables carry "$<iteration>" suffixes
        int i = varId.IndexOf('$');
        return _storedOutputs.Contains(i < 0 ? varId : varId[..i]);
    }

    private void CollectStoredOutputs(IReadOnlyList<WorkflowAction> actions)
    {
        foreach (var a in actions)
        {
            if (a is ExecuteAction e) foreach (var o in e.Outputs) if (o.Store) _storedOutputs.Add(o.Var);
            if (a is ForEachAction f)
            {
                if (f.Output is { } o) _forEachOutputs.Add(o);
                CollectStoredOutputs(f.Actions);
            }
        }
    }

    private void AddResults(IReadOnlyDictionary<string, IReadOnlyList<string>> results)
    {
        foreach (var (k, v) in results)
        {
            if (!_results.TryGetValue(k, out var list)) _results[k] = list = [];
            list.AddRange(v);
        }
    }

    private void Count(string status, string? errorMessage)
    {
        switch (status)
        {
            case ProcessChainStatus.Success: _succeeded++; break;
            case ProcessChainStatus.Error: _failed++; _firstError ??= errorMessage; break;
            case ProcessChainStatus.Cancelled: _cancelled++; break;
        }
    }

    private void Publish()
    {
        if (_submission is null) return;
        int running = Math.Max(0, _open.Count);
        var change = new SubmissionEvent(SubmissionId, _submission.Status, _total, running, _succeeded, _failed, _cancelled);
        services.Events.SubmissionChanged(change);
        if (_observers.Count > 0) _observers.Notify(o => o.OnSubmissionChanged(change));
    }

    /// <summary>Generated names start with a seed derived from the submission id, so they are unique and stable across restarts.</summary>
    internal static string IdSeed(string submissionId) => submissionId.ToLowerInvariant() + "-";
}
