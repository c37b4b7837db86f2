using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Steep.Api;
using Steep.Contracts;
using Steep.Grains;
using Steep.Grains.Placement;

namespace Steep.Silo.Hosting;

/// <summary>What a silo of a cluster answers for the whole cluster: every silo's agents, logs and events.</summary>
public sealed partial class SteepHost
{
    /// <summary>How long one silo may take to list its agents or find a log before the answer goes without it.</summary>
    private static readonly TimeSpan PeerTimeout = TimeSpan.FromSeconds(5);

    private readonly LocalAgents _localAgents = new();
    private ClusterEventRelay? _relay;
    private ClusterPeers? _peers;

    private void AttachCluster(IServiceProvider services, IGrainFactory grains, string siloName)
    {
        _peers = new ClusterPeers(services.GetRequiredService<IClusterMembershipService>(), grains, siloName);
        _relay?.Start(_peers);
    }

    /// <summary>The agents of every active silo; a silo that does not answer in time is left out.</summary>
    private async Task<IReadOnlyList<AgentInfo>> GetClusterAgentsAsync()
    {
        var peers = _peers!;
        var lists = await Task.WhenAll(peers.ActiveSilos().Select(async name =>
        {
            try
            {
                return await peers.Silo(name).GetAgentsAsync().WaitAsync(PeerTimeout);
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
            {
                return []; // it is leaving or gone: its agents take no work
            }
        }));
        return lists.SelectMany(l => l).OrderBy(a => a.Silo, StringComparer.Ordinal).ThenBy(a => a.Id, StringComparer.Ordinal).ToList();
    }

    async Task<RemoteLogLookup?> ISteepInstance.FindLogOnOtherSilosAsync(string fileName, string? agentId, CancellationToken ct)
    {
        if (_peers is not { } peers) return null;
        // the silo of the agent that ran it last first; earlier runs may have run anywhere, so then every other silo
        string? owner = agentId is null ? null : SiloBoundKey.Candidates(agentId).FirstOrDefault(peers.IsKnown);
        var others = peers.OtherActiveSilos();
        var order = owner is not null && owner != peers.LocalName && others.Contains(owner)
            ? [owner, .. others.Where(o => o != owner)]
            : others;
        foreach (var name in order)
        {
            var grain = peers.Silo(name);
            try
            {
                if (await grain.ReadLogAsync(fileName, 0, 0).WaitAsync(PeerTimeout, ct) is { } found)
                    return new RemoteLogLookup(new RemoteLog(name, fileName, found.Size, grain), null);
            }
            catch (Exception e) when (e is TimeoutException or SiloUnavailableException or OrleansException)
            {
                // that silo is leaving or gone; the others may still have it
            }
        }
        if (owner is not null && owner != peers.LocalName && !peers.IsActive(owner))
            return new RemoteLogLookup(null, $"The log is in the data directory of silo '{owner}', which is not running; it can be read again once that silo is back");
        return null;
    }
}
