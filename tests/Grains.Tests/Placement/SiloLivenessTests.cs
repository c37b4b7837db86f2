using System.Collections.Immutable;
using System.Net;
using Steep.Grains.Placement;

namespace Steep.Grains.Tests.Placement;

/// <summary>When the membership says an agent's silo is gone, by the name its id carries.</summary>
public sealed class SiloLivenessTests
{
    private static ClusterMembershipSnapshot Snapshot(params (string Name, int Generation, SiloStatus Status)[] members) =>
        new(members.Select(m => new ClusterMember(SiloAddress.New(new IPEndPoint(IPAddress.Loopback, 11111), m.Generation), m.Status, m.Name))
            .ToImmutableDictionary(m => m.SiloAddress), new MembershipVersion(1));

    [Fact]
    public void An_agent_is_gone_only_when_every_silo_of_its_name_is_dead()
    {
        var restarted = Snapshot(("a", 1, SiloStatus.Dead), ("a", 2, SiloStatus.Active), ("b", 3, SiloStatus.Dead));
        Assert.False(SiloLiveness.IsGone(restarted, "a-1")); // its silo's name lives on in a new incarnation
        Assert.True(SiloLiveness.IsGone(restarted, "b-2"));
        Assert.True(SiloLiveness.IsGone(restarted, "b"));
    }

    [Fact]
    public void A_silo_that_is_stopping_is_not_gone_yet()
    {
        Assert.False(SiloLiveness.IsGone(Snapshot(("a", 1, SiloStatus.ShuttingDown)), "a-3"));
        Assert.False(SiloLiveness.IsGone(Snapshot(("a", 1, SiloStatus.Joining)), "a-3"));
    }

    [Fact]
    public void An_id_naming_no_silo_lives_on_the_silo_that_asks()
    {
        Assert.False(SiloLiveness.IsGone(Snapshot(("a", 1, SiloStatus.Dead)), "worker-7"));
        // the whole id is a silo's name before the id without its number is
        Assert.False(SiloLiveness.IsGone(Snapshot(("a-1", 2, SiloStatus.Active), ("a", 1, SiloStatus.Dead)), "a-1"));
    }
}
