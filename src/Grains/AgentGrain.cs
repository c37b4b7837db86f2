using Steep.Agent;
using Steep.Core.Models;
using Steep.Grains.Runtime;

namespace Steep.Grains;

/// <summary>An agent: its capabilities, whether it is busy, and the chain it runs (executed in the background).</summary>
[KeepAlive] // what it runs lives only in memory: being collected during a long chain would lose the chain's end
public sealed class AgentGrain(SteepServices services) : Grain
{
    private IReadOnlyList<string> _capabilities = [];
    private DateTimeOffset _startTime;
    private DateTimeOffset _changed;
    private string? _current;
    private CancellationTokenSource? _cts;
    private Task? _run;
    private bool _registered;

    private string AgentId => Id.Key;

    /// <summary>Registers the agent with the scheduler.</summary>
    public Task RegisterAsync(IReadOnlyList<string> capabilities)
    {
        _capabilities = capabilities;
        _startTime = _changed = services.Clock.GetUtcNow();
        _registered = true;
        services.Events.AgentChanged(new AgentEvent(AgentId, "registered", null));
        Runtime.Get<SchedulerGrain>(SchedulerGrain.Key).Tell(s => s.RegisterAgentAsync(AgentId, capabilities));
        return Task.CompletedTask;
    }

    /// <summary>What is known about this agent.</summary>
    public Task<AgentInfo?> GetInfoAsync() => Task.FromResult(_registered
        ? new AgentInfo(AgentId, _current is null, _capabilities, _startTime, _changed, _current) : null);

    /// <summary>Runs a chain; the call returns at once and the chain runs in the background.</summary>
    public async Task AssignAsync(string chainId)
    {
        var scheduler = Runtime.Get<SchedulerGrain>(SchedulerGrain.Key);
        if (_current is not null)
        {
            // the scheduler thought this agent idle: give the chain back, at the front of the queue
            var stored0 = await Runtime.Get<ProcessChainGrain>(chainId).CallAsync(g => g.GetAsync());
            if (stored0 is null) return;
            var again = new Steep.Core.Scheduling.QueuedChain(chainId, stored0.Chain.SubmissionId ?? "", stored0.Chain.RequiredCapabilities, 1);
            scheduler.Tell(s => s.EnqueueAsync([again]));
            return;
        }
        var stored = await Runtime.Get<ProcessChainGrain>(chainId).CallAsync(g => g.StartAsync(AgentId));
        if (stored is null)
        {
            scheduler.Tell(s => s.AgentIdleAsync(AgentId));
            return;
        }
        _current = chainId;
        _changed = services.Clock.GetUtcNow();
        services.Events.AgentChanged(new AgentEvent(AgentId, "busy", chainId));
        _cts = new CancellationTokenSource();
        var chain = stored.Chain;
        var self = Runtime.Get<AgentGrain>(AgentId);
        var token = _cts.Token;
        _run = Task.Run(async () =>
        {
            ProcessChainOutcome outcome;
            try
            {
                outcome = await services.Executor.ExecuteAsync(chain, token);
            }
            catch (OperationCanceledException)
            {
                outcome = new ProcessChainOutcome(ProcessChainStatus.Cancelled, null, null, []);
            }
            catch (Exception e)
            {
                outcome = new ProcessChainOutcome(ProcessChainStatus.Error, null, $"The agent failed to run the chain: {e.Message}", []);
            }
            self.Tell(a => a.CompletedAsync(chainId, outcome));
        });
    }

    /// <summary>The background run ended.</summary>
    public Task CompletedAsync(string chainId, ProcessChainOutcome outcome)
    {
        if (_current != chainId) return Task.CompletedTask;
        // recording the outcome need not delay the next chain: if this process dies before it is stored, the chain
        // is still RUNNING in the store and runs again after the restart (at-least-once)
        Runtime.Get<ProcessChainGrain>(chainId).Tell(g => g.CompleteAsync(outcome));
        _current = null;
        _cts?.Dispose();
        _cts = null;
        _changed = services.Clock.GetUtcNow();
        services.Events.AgentChanged(new AgentEvent(AgentId, "idle", null));
        Runtime.Get<SchedulerGrain>(SchedulerGrain.Key).Tell(s => s.AgentIdleAsync(AgentId));
        return Task.CompletedTask;
    }

    /// <summary>
    /// When the runtime stops (the process shuts down), kills the running chain instead of leaving its processes
    /// behind. Its end can no longer be stored, so it stays RUNNING and goes back to REGISTERED on the next start.
    /// </summary>
    protected internal override async Task OnDeactivateAsync(CancellationToken cancellationToken)
    {
        if (!Runtime.IsStopping || _cts is null || _run is null) return;
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

    /// <summary>Kills the chain if this agent runs it.</summary>
    public Task CancelAsync(string chainId)
    {
        if (_current == chainId) _cts?.Cancel();
        return Task.CompletedTask;
    }
}
