using LeaderlessActors.Replication;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>The journal marker of a new owner: it takes the replica's vote until a resync of the same epoch completes.</summary>
public sealed class HandoffStandingSpecs
{
    private static readonly ReplicaStanding<string> Voting = ReplicaStanding<string>.Of(7, null, []);

    [Fact]
    public void A_replica_that_became_a_new_owner_needs_a_repair_from_every_peer_until_its_resync_of_the_same_epoch_completed()
    {
        var filling = Voting.Apply(new ReplicaHandoffStarted(7));
        Assert.Equal(RepairNeed.Handoff, filling.Repair);
        Assert.True(filling.Repair!.FromEveryPeer);

        Assert.Equal(RepairNeed.Handoff, filling.Apply(new ReplicaResynced(8)).Repair); // another epoch's resync ends nothing
        Assert.Null(filling.Apply(new ReplicaResynced(7)).Repair);
    }

    [Fact]
    public void A_handoff_marker_keeps_a_lost_history_repair_and_ignores_another_epoch()
    {
        var lost = Voting.Apply(new ReplicaHistoryLost(9, "history lost: test"));
        Assert.Equal(lost.Repair, lost.Apply(new ReplicaHandoffStarted(9)).Repair);
        Assert.Null(Voting.Apply(new ReplicaHandoffStarted(3)).Repair);
    }

    [Fact]
    public void A_new_owner_that_had_started_without_history_now_waits_for_every_peer()
    {
        var fresh = Voting.Apply(new ReplicaEpochStarted(11));
        Assert.False(fresh.Repair!.FromEveryPeer);
        Assert.Equal(RepairNeed.Handoff, fresh.Apply(new ReplicaHandoffStarted(11)).Repair);
    }
}
