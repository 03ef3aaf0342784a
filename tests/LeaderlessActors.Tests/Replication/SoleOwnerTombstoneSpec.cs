using Akka.Actor;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Tests.Storage;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>
/// A single-node store runs no anti-entropy, so no exchange ever tells its replicas that every owner holds a tombstone:
/// a replica that is its partition's only owner collects its tombstones itself after the grace period. One with another
/// owner in its ring (even one that never answers) never does so on its own.
/// </summary>
public class SoleOwnerTombstoneSpec : TestKit
{
    private static readonly Address PeerNode = new("akka.tcp", "test", "peer", 2);
    private long _requestId;

    public SoleOwnerTombstoneSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s")
    {
    }

    [Fact]
    public void The_only_owner_drops_a_tombstone_after_the_grace_period_and_a_later_write_of_the_key_is_kept()
    {
        var options = TestReplicas.Options(70) with { TombstoneGrace = TimeSpan.FromSeconds(1) };
        var replica = Sys.ActorOf(Replica.Props(options));
        var written = Write(replica, options, "k", [1], VersionVector.Empty);
        var deleted = Write(replica, options, "k", null, written.State.Clock);

        AwaitAssert(() => Assert.Equal(SiblingSet.Empty, Inspect(replica, options, "k")), TimeSpan.FromSeconds(15), TimeSpan.FromMilliseconds(200));

        var again = Write(replica, options, "k", [2], VersionVector.Empty);
        Assert.True(again.Dot.Counter > deleted.Dot.Counter, $"{again.Dot} reuses a counter of the dropped tombstone {deleted.Dot}");
        Assert.Equal([2], Assert.Single(Inspect(replica, options, "k").Values));
    }

    [Fact]
    public void A_replica_with_another_owner_in_its_ring_keeps_its_tombstone()
    {
        var peer = CreateTestProbe("peer");
        var options = TestReplicas.Options(71, 100, (PeerNode, peer.Ref)) with { TombstoneGrace = TimeSpan.FromMilliseconds(100) };
        var replica = Sys.ActorOf(Replica.Props(options));
        var request = peer.ExpectMsg<StreamPartition>(); // a fresh replica syncs first: the peer has nothing
        peer.LastSender.Tell(new PartitionChunk(request.RequestId, PeerNode, [], Last: true), peer.Ref);
        var written = Write(replica, options, "k", [1], VersionVector.Empty);
        Write(replica, options, "k", null, written.State.Clock);

        // Several sole-owner checks (one a second at least) pass without collecting it.
        peer.ExpectNoMsg(TimeSpan.FromSeconds(2.5));
        var state = Inspect(replica, options, "k");
        Assert.False(state.HasValues);
        Assert.NotEmpty(state.Siblings);
    }

    private WriteCoordinated Write(IActorRef replica, ReplicaOptions options, string key, byte[]? value, VersionVector context)
    {
        replica.Tell(new CoordinateWrite(++_requestId, options.Partition, key, value, context, 100), TestActor);
        return this.ExpectWritten();
    }

    private SiblingSet Inspect(IActorRef replica, ReplicaOptions options, string key)
    {
        replica.Tell(new InspectKey(++_requestId, options.Partition, key), TestActor);
        return ExpectMsg<KeyInspected>().State;
    }
}
