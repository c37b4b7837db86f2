using Steep.Contracts;
using Steep.Core.Models;

namespace Steep.Grains;

/// <summary>
/// What one surviving silo does after other silos were lost (killed, or stopped): the scheduler forgets their agents,
/// RUNNING chains whose agent went with them go back to REGISTERED, and every unfinished submission is started again
/// (a submission whose grain was on a lost silo is activated on a survivor and replays its journal; a live one hands
/// its waiting chains to the scheduler again, which a new scheduler activation needs). Every step is idempotent, so a
/// second silo doing the same at the same time changes nothing.
/// </summary>
public static class Failover
{
    /// <summary>Recovers from the loss of <paramref name="goneSilos"/> (parsable silo addresses); returns what it did.</summary>
    public static async Task<FailoverReport> RecoverAsync(IGrainFactory grains, SteepServices services, IReadOnlyList<string> goneSilos,
        CancellationToken ct)
    {
        int forgotten = goneSilos.Count == 0 ? 0 : await grains.GetGrain<ISchedulerGrain>(SchedulerGrain.Key).ForgetSilosAsync(goneSilos);
        var running = await services.Chains.ListByStatusAsync(ProcessChainStatus.Running, ct);
        var requeued = await Task.WhenAll(running.Select(c => Try(() => grains.GetGrain<IProcessChainGrain>(c.Chain.Id).RecoverAsync())));
        var unfinished = await services.Submissions.ListUnfinishedIdsAsync(ct);
        var resumed = await Task.WhenAll(unfinished.Select(id => Try(async () =>
        {
            await grains.GetGrain<ISubmissionGrain>(id).StartAsync();
            return (bool?)true;
        })));
        return new FailoverReport(forgotten, requeued.Count(r => r == true), resumed.Count(r => r == true),
            requeued.Count(r => r is null) + resumed.Count(r => r is null));
    }

    /// <summary>One grain call; null when it failed (a silo lost meanwhile, an answer too late) or could not tell: the recovery is tried again.</summary>
    private static async Task<bool?> Try(Func<Task<bool?>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (e is OrleansException or TimeoutException or SiloUnavailableException)
        {
            return null;
        }
    }
}
