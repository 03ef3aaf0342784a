using Akka.Actor;
using Akka.TestKit.Xunit2;
using LeaderlessActors.Replication;
using LeaderlessActors.Tests.Storage;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>
/// A resync (and so a handoff fill) takes its share of the node's one background-repair rate: after a chunk that
/// overdraws the throttle it asks the peer for the next chunk only once the throttle's pause is over.
/// </summary>
public class ResyncThrottleSpec : TestKit
{
    private static readonly Address PeerNode = new("akka.tcp", "test", "peer", 2);

    public ResyncThrottleSpec() : base("akka.loglevel = OFF\nakka.test.single-expect-default = 10s")
    {
    }

    [Fact]
    public void The_next_chunk_is_asked_for_only_after_the_pause_the_repair_throttle_asks_for()
    {
        // 1,000 bytes a second with a one-second burst; a chunk of about 3,300 bytes owes some 2.3 seconds.
        var (peer, resync, request) = StartResync(60, new RepairThrottle(1_000, TimeProvider.System));
        resync.Tell(new PartitionChunk(request.RequestId, PeerNode, Keys(3, 1_000), Last: false), peer.Ref);

        peer.ExpectNoMsg(TimeSpan.FromSeconds(1));
        peer.ExpectMsg<PartitionChunkStored>(m => m.RequestId == request.RequestId, TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void Within_the_throttle_s_rate_the_next_chunk_is_asked_for_at_once()
    {
        var (peer, resync, request) = StartResync(61, new RepairThrottle(100_000_000, TimeProvider.System));
        resync.Tell(new PartitionChunk(request.RequestId, PeerNode, Keys(3, 1_000), Last: false), peer.Ref);

        peer.ExpectMsg<PartitionChunkStored>(m => m.RequestId == request.RequestId, TimeSpan.FromSeconds(5));
    }

    private (Akka.TestKit.TestProbe Peer, IActorRef Resync, StreamPartition Request) StartResync(int partition, RepairThrottle throttle)
    {
        var peer = CreateTestProbe("peer");
        var options = TestReplicas.Options(partition, 100, (PeerNode, peer.Ref)) with { Throttle = throttle };
        Sys.ActorOf(Replica.Props(options)); // a fresh replica syncs with its peers as it starts
        var request = peer.ExpectMsg<StreamPartition>();
        return (peer, peer.LastSender, request);
    }

    private static KeyValuePair<string, SiblingSet>[] Keys(int count, int valueBytes) =>
        [.. Enumerable.Range(0, count).Select(i => new KeyValuePair<string, SiblingSet>($"k{i}",
            SiblingSet.Empty.Update(VersionVector.Empty, new byte[valueBytes], 70 + i)))];
}
