using Microsoft.Extensions.Hosting;
using Steep.Grains;

namespace Steep.Silo.Hosting;

/// <summary>
/// Cluster mode's watch over Orleans' membership (<see cref="IClusterMembershipService"/>): when silos are declared dead
/// (killed, or gone after a graceful stop), every survivor registers its agents again (the scheduler may have lived on a
/// lost silo and be a new activation now) and one of them, the active silo with the lowest address, runs
/// <see cref="Failover.RecoverAsync"/>. The same recovery runs when the silo starts as the lowest one (all silos were
/// restarted). Stopping (SIGTERM) drains the silo before Orleans leaves the cluster: its agents take no more chains,
/// running ones may finish within <see cref="ClusterSettings.DrainTimeout"/>, the rest are handed back.
/// </summary>
internal sealed class ClusterWatch(SteepHost steep, ClusterSettings cluster, IClusterMembershipService membership, ILocalSiloDetails local,
    IGrainFactory grains) : BackgroundService
{
    private readonly HashSet<SiloAddress> _gone = new();

    protected override async Task ExecuteAsync(CancellationToken ct)
    {
        try
        {
            await steep.Attached.WaitAsync(ct);
        }
        catch (Exception e) when (e is ObjectDisposedException or OperationCanceledException)
        {
            return;
        }
        try
        {
            // what the membership table already counts as dead was handled by whoever was there; a silo that is the
            // lowest at its start recovers what a cluster that stopped entirely left RUNNING
            var first = membership.CurrentSnapshot;
            var dead = Dead(first);
            _gone.UnionWith(dead);
            if (IsLeader(first)) await RecoverAsync(dead, "start", ct);

            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(ct))
            {
                var lost = Dead(snapshot).Where(_gone.Add).ToList();
                if (lost.Count == 0) continue;
                var names = string.Join(", ", lost.Select(s => snapshot.Members[s].Name ?? s.ToString()));
                Console.Error.WriteLine($"{Now} silo(s) {names} gone; {(IsLeader(snapshot) ? "recovering their work" : "agents register again")}");
                // both at once: recovery puts chains in the queue, agents take them as soon as they are registered again
                await Task.WhenAll(RejoinAsync(ct), IsLeader(snapshot) ? RecoverAsync(lost, names, ct) : Task.CompletedTask);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // the silo stops
        }
    }

    private static string Now => DateTime.Now.ToString("HH:mm:ss.fff", System.Globalization.CultureInfo.InvariantCulture);

    private static List<SiloAddress> Dead(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Dead).Select(m => m.SiloAddress).ToList();

    /// <summary>The active silo with the lowest address recovers; during a change two may both do it, which is harmless.</summary>
    private bool IsLeader(ClusterMembershipSnapshot snapshot) =>
        snapshot.Members.Values.Where(m => m.Status == SiloStatus.Active)
            .Select(m => m.SiloAddress.ToParsableString()).Order(StringComparer.Ordinal).FirstOrDefault()
        is not { } lowest || lowest == local.SiloAddress.ToParsableString();

    /// <summary>How often a recovery step that failed (a call timed out while the cluster settles) is tried again.</summary>
    private const int Attempts = 10;

    private async Task RejoinAsync(CancellationToken ct)
    {
        for (int attempt = 1; attempt <= Attempts && !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                await Task.WhenAll(steep.AgentIds.Select(id => grains.GetGrain<IAgentGrain>(id).RejoinAsync()));
                return;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException)
            {
                Console.Error.WriteLine($"{Now} agents could not register again ({e.Message}); trying again");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }

    private async Task RecoverAsync(IReadOnlyList<SiloAddress> lost, string what, CancellationToken ct)
    {
        for (int attempt = 1; attempt <= Attempts && !ct.IsCancellationRequested; attempt++)
        {
            try
            {
                var clock = System.Diagnostics.Stopwatch.StartNew();
                var report = await Failover.RecoverAsync(grains, steep.Services, lost.Select(s => s.ToParsableString()).ToList(), ct);
                if (report.ChainsRequeued > 0 || report.AgentsForgotten > 0 || report.Failed > 0)
                    Console.Error.WriteLine($"{Now} recovered after {what} ({clock.Elapsed.TotalSeconds:0.0} s): {report.ChainsRequeued} running chain(s) back to REGISTERED, " +
                        $"{report.AgentsForgotten} agent(s) forgotten, {report.SubmissionsResumed} unfinished submission(s) resumed" +
                        (report.Failed > 0 ? $", {report.Failed} call(s) failed: trying again" : ""));
                if (report.Failed == 0) return;
            }
            catch (Exception e) when (e is OrleansException or TimeoutException or IOException or Npgsql.NpgsqlException)
            {
                Console.Error.WriteLine($"{Now} recovery after {what} failed ({e.Message}); trying again");
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>Drains the silo before Orleans stops (this service stops first: it was added after the silo).</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        if (steep.Attached.IsCompletedSuccessfully && steep.AgentIds.Count > 0) await DrainAsync(cancellationToken);
        await base.StopAsync(cancellationToken);
    }

    private async Task DrainAsync(CancellationToken ct)
    {
        var agents = steep.AgentIds.Select(id => grains.GetGrain<IAgentGrain>(id)).ToList();
        try
        {
            var busy = await Task.WhenAll(agents.Select(a => a.LeaveAsync()));
            int running = busy.Count(b => b);
            if (running > 0)
                Console.Error.WriteLine($"{Now} stopping: no new chains; {running} running chain(s) may finish within {cluster.DrainTimeout.TotalSeconds:0.#} s");
            var until = DateTime.UtcNow + cluster.DrainTimeout;
            while (running > 0 && DateTime.UtcNow < until && !ct.IsCancellationRequested)
            {
                await Task.Delay(200, ct).ContinueWith(_ => { }, TaskScheduler.Default);
                var infos = await Task.WhenAll(agents.Select(a => a.GetInfoAsync()));
                running = infos.Count(i => i is { Available: false });
            }
            if (running > 0)
            {
                await Task.WhenAll(agents.Select(a => a.HandBackAsync()));
                Console.Error.WriteLine($"{Now} stopping: {running} chain(s) still running were killed and handed back to REGISTERED");
            }
            else if (busy.Any(b => b)) Console.Error.WriteLine($"{Now} stopping: running chains finished");
        }
        catch (Exception e) when (e is OrleansException or TimeoutException)
        {
            Console.Error.WriteLine($"{Now} stopping: draining failed ({e.Message}); chains still running go back to REGISTERED when the cluster sees this silo gone");
        }
    }
}
