using LeaderlessActors.Replication;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>How a resync begins, from the ring alone: <see cref="ResyncStart{TPeer}.Plan"/>.</summary>
public sealed class ResyncStartSpecs
{
    private static readonly string[] Ring = ["self", "a", "b"];

    [Fact]
    public void A_sync_waits_for_the_membership_while_the_ring_holds_no_replica()
    {
        var start = ResyncStart<string>.Plan([], 3, "self", _ => true, fromEveryPeer: false);
        Assert.Contains("0 of its 3", Assert.IsType<ResyncStart<string>.WaitForMembership>(start).Why);
    }

    [Fact]
    public void A_sync_with_every_peer_waits_until_the_ring_holds_them_all()
    {
        var start = ResyncStart<string>.Plan(["self", "a"], 3, "self", _ => true, fromEveryPeer: true);
        Assert.IsType<ResyncStart<string>.WaitForMembership>(start);
    }

    [Fact]
    public void A_sync_with_every_peer_gives_up_when_one_is_out_of_reach()
    {
        var start = ResyncStart<string>.Plan(Ring, 3, "self", p => p != "b", fromEveryPeer: true);
        Assert.Equal("b unreachable", Assert.IsType<ResyncStart<string>.GiveUp>(start).Why);
    }

    [Fact]
    public void A_sync_with_the_reachable_peers_asks_those_it_can_reach_and_never_itself()
    {
        var start = ResyncStart<string>.Plan(Ring, 3, "self", p => p != "b", fromEveryPeer: false);
        Assert.Equal(["a"], Assert.IsType<ResyncStart<string>.Ask>(start).Peers);
    }

    [Fact]
    public void A_sync_with_the_reachable_peers_waits_for_one_to_come_back_when_none_is_reachable()
    {
        var start = ResyncStart<string>.Plan(Ring, 3, "self", p => p == "self", fromEveryPeer: false);
        Assert.Equal("a, b unreachable", Assert.IsType<ResyncStart<string>.WaitForMembership>(start).Why);
    }

    [Fact]
    public void A_replica_alone_in_its_partition_asks_nobody_and_is_done()
    {
        var start = ResyncStart<string>.Plan(["self"], 1, "self", _ => true, fromEveryPeer: true);
        Assert.Empty(Assert.IsType<ResyncStart<string>.Ask>(start).Peers);
    }
}
