using Akka.Actor;
using Akka.TestKit;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Storage;

/// <summary>
/// A replica whose stored history turns out damaged or incomplete keeps what it can read, takes a new epoch, answers
/// reads without a vote, and votes again only after a resync with its peer brought in the peer's whole state. The
/// damage is forged into the in-memory journal as what the storage serializer reads back from damaged bytes.
/// </summary>
public class ReplicaRepairSpec : ReplicaRepairSpecBase
{
    [Fact]
    public void An_unreadable_journal_event_makes_the_replica_start_over_as_a_new_epoch_that_needs_repair()
    {
        var options = TestReplicas.Options(10, 100, (PeerNode, _peer.Ref));
        var replica = StartFresh(options);
        var firstEpoch = Write(replica, options, "kept", [1]);
        Stop(replica); // a crash: the damage is found at the next start
        Forge(options, new UnreadableEntry("4 bytes that fail to deserialize"), new KeyUpdated("after", State(7, 99)));

        replica = Start(options);
        var kept = Inspect(replica, "kept");
        Assert.NotEqual(firstEpoch, kept.ReplicaEpoch);
        Assert.Contains("journal event 4 is unreadable", kept.RepairReason); // after the epoch, its sync and one write
        Assert.Equal([1], Assert.Single(kept.State.Values)); // what could be read is kept
        Assert.Equal([99], Assert.Single(Inspect(replica, "after").State.Values));
        Assert.True(Read(replica, options, "kept").NeedsRepair);

        // New writes carry the new epoch, so no dot of the lost history is ever issued again.
        replica.Tell(new CoordinateWrite(++_requestId, options.Partition, "kept", [2], VersionVector.Empty, 100), TestActor);
        Assert.Equal(kept.ReplicaEpoch, this.ExpectWritten().Dot.Epoch);

        // A restart before the repair: the same (new) epoch, still waiting for repair, not a third start-over.
        StopCleanly(replica);
        replica = Start(options);
        var again = Inspect(replica, "kept");
        Assert.Equal(kept.ReplicaEpoch, again.ReplicaEpoch);
        Assert.Equal(kept.RepairReason, again.RepairReason);
    }

    [Fact]
    public void A_resync_with_the_peer_merges_its_whole_state_and_gives_the_replica_its_vote_back()
    {
        var options = TestReplicas.Options(11, 100, (PeerNode, _peer.Ref));
        WriteThenDamage(options, "mine");

        var replica = Start(options, expectResync: false);
        var request = _peer.ExpectMsg<StreamPartition>();
        var resync = _peer.LastSender;
        var peerKeys = Enumerable.Range(0, 5).Select(i => new KeyValuePair<string, SiblingSet>($"peer{i}", State(50 + i, i))).ToArray();
        resync.Tell(new PartitionChunk(request.RequestId, PeerNode, peerKeys[..3], Last: false), _peer.Ref);
        _peer.ExpectMsg<PartitionChunkStored>(m => m.RequestId == request.RequestId);
        Assert.True(Read(replica, options, "peer0").NeedsRepair);
        resync.Tell(new PartitionChunk(request.RequestId, PeerNode, peerKeys[3..], Last: true), _peer.Ref);

        AwaitAssert(() => Assert.False(Read(replica, options, "peer4").NeedsRepair), TimeSpan.FromSeconds(5));
        foreach (var (key, state) in peerKeys) Assert.Equal(state, Inspect(replica, key).State);
        Assert.Null(Inspect(replica, "mine").RepairReason);

        // The repair is durable: after a restart the replica still votes, under the same epoch.
        var epoch = Inspect(replica, "mine").ReplicaEpoch;
        StopCleanly(replica);
        replica = Start(options, expectResync: false);
        Assert.False(Read(replica, options, "mine").NeedsRepair);
        Assert.Equal(epoch, Inspect(replica, "mine").ReplicaEpoch);
        _peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void An_unreadable_snapshot_loses_the_history_behind_it_but_keeps_the_journal_tail()
    {
        var options = TestReplicas.Options(13, snapshotEvery: 2, (PeerNode, _peer.Ref));
        WriteAThenBThenCAndStop(options); // the snapshot is taken at the second write
        ForgeSnapshot(options, new UnreadableEntry("damaged snapshot"), atSequenceNr: 3); // the epoch, a and b

        var replica = Start(options);
        var c = Inspect(replica, "c");
        Assert.Contains("snapshot", c.RepairReason);
        Assert.Equal([3], Assert.Single(c.State.Values));
        Assert.True(Read(replica, options, "c").NeedsRepair);
    }

    [Fact]
    public void A_journal_compacted_behind_a_snapshot_that_is_gone_counts_as_missing_history()
    {
        var options = TestReplicas.Options(14, snapshotEvery: 2, (PeerNode, _peer.Ref));
        WriteAThenBThenCAndStop(options);
        ForgeSnapshot(options, delete: true);

        var replica = Start(options);
        var c = Inspect(replica, "c");
        Assert.Contains("missing", c.RepairReason);
        Assert.Equal([3], Assert.Single(c.State.Values));
        Assert.True(Inspect(replica, "a").State.Siblings.Count == 0); // it was only in the lost snapshot
    }

    [Fact]
    public void A_replica_with_a_whole_history_votes_and_never_resyncs()
    {
        var options = TestReplicas.Options(15, snapshotEvery: 2, (PeerNode, _peer.Ref));
        WriteAThenBThenCAndStop(options);

        var replica = Start(options, expectResync: false);
        Assert.False(Read(replica, options, "a").NeedsRepair);
        Assert.Null(Inspect(replica, "c").RepairReason);
        _peer.ExpectNoMsg(TimeSpan.FromMilliseconds(300));
    }

    [Fact]
    public void A_peer_holding_a_version_this_replica_issued_and_lost_makes_it_start_over_at_once()
    {
        var options = TestReplicas.Options(16, 100, (PeerNode, _peer.Ref));
        var replica = StartFresh(options);
        var epoch = Write(replica, options, "k", [1]);
        // As if the journal lost its newest events (a database restored from a backup): the peer knows dot 2 of this
        // replica, which it no longer has.
        var lost = SiblingSet.Empty.Update(VersionVector.From([new VersionVector.Entry(epoch, 1)]), [2], epoch);

        replica.Tell(new MergeKeyState(++_requestId, options.Partition, "k", lost), TestActor);
        ExpectMsg<KeyStored>();

        var k = Inspect(replica, "k");
        Assert.NotEqual(epoch, k.ReplicaEpoch);
        Assert.Contains("no longer has", k.RepairReason);
        Assert.True(Read(replica, options, "k").NeedsRepair);
        _peer.ExpectMsg<StreamPartition>(); // a resync with every peer starts
    }

    [Fact]
    public void A_resync_with_every_peer_waits_until_the_ring_holds_them_all()
    {
        var peer2 = CreateTestProbe("peer2");
        var peer2Node = new Address("akka.tcp", "test", "peer2", 3);
        var options = TestReplicas.Options(17, 100, (PeerNode, _peer.Ref));
        WriteThenDamage(options, "k");
        // Three replicas per partition, but the ring knows two members so far (a cluster still forming).
        var partial = options.Topology.Current;
        options.Topology.Publish(partial with { Ring = new Partitioning.HashRing([TestReplicas.Node, PeerNode], TestReplicas.Partitions, 3, 8) });

        var replica = Sys.ActorOf(Replica.Props(options));
        Assert.True(Read(replica, options, "k").NeedsRepair);
        _peer.ExpectNoMsg(TimeSpan.FromMilliseconds(500));

        options.Topology.Publish(partial with
        {
            Ring = new Partitioning.HashRing([TestReplicas.Node, PeerNode, peer2Node], TestReplicas.Partitions, 3, 8),
            ReplicaHosts = partial.ReplicaHosts.Add(peer2Node, peer2.Ref),
        });
        var first = _peer.ExpectMsg<StreamPartition>(TimeSpan.FromSeconds(5));
        var second = peer2.ExpectMsg<StreamPartition>(TimeSpan.FromSeconds(5));
        _peer.LastSender.Tell(new PartitionChunk(first.RequestId, PeerNode, [], Last: true), _peer.Ref);
        Assert.True(Read(replica, options, "k").NeedsRepair); // one of two peers is not enough
        peer2.LastSender.Tell(new PartitionChunk(second.RequestId, peer2Node, [], Last: true), peer2.Ref);
        AwaitAssert(() => Assert.False(Read(replica, options, "k").NeedsRepair), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_replica_that_starts_without_history_votes_once_its_peers_said_nobody_else_stood_there()
    {
        var options = TestReplicas.Options(18, 100, (PeerNode, _peer.Ref));
        var replica = Sys.ActorOf(Replica.Props(options));
        var sync = _peer.ExpectMsg<StreamPartition>();
        Assert.Equal((TestReplicas.Node, Inspect(replica, "k").ReplicaEpoch, true), (sync.Requester, sync.RequesterEpoch, sync.RequesterFresh));
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        // Held until the hold (200 ms here) is over, then answered without a vote. (That it is held at all is
        // A_read_held_for_the_peers_is_answered_with_a_vote_as_soon_as_they_answer's point, with a 10 s hold; a 100 ms
        // silence against a 200 ms hold here depends on scheduling, and this spec failed once at load 7.)
        Assert.True(ExpectMsg<KeyRead>(TimeSpan.FromSeconds(2)).NeedsRepair);

        // The peer's first chunk says it knew no other epoch here: the replica votes while the rest of the sync goes on.
        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, [new("k", State(5, 5))], Last: false), _peer.Ref);
        _peer.ExpectMsg<PartitionChunkStored>();
        Assert.False(Read(replica, options, "k").NeedsRepair);
        Assert.NotNull(Inspect(replica, "k").RepairReason);

        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, [], Last: true), _peer.Ref);
        AwaitAssert(() => Assert.Null(Inspect(replica, "k").RepairReason), TimeSpan.FromSeconds(5));
    }

    [Fact]
    public void A_read_held_for_the_peers_is_answered_with_a_vote_as_soon_as_they_answer()
    {
        var options = OptionsWith(21, r => r with { ReadHold = TimeSpan.FromSeconds(10) });
        Sys.ActorOf(Replica.Props(options)).Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        var sync = _peer.ExpectMsg<StreamPartition>();
        ExpectNoMsg(TimeSpan.FromMilliseconds(100));

        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, [], Last: true), _peer.Ref);

        Assert.False(ExpectMsg<KeyRead>().NeedsRepair);
    }

    [Fact]
    public void A_peer_that_does_not_answer_is_asked_again_and_whichever_request_it_answers_first_counts()
    {
        var options = OptionsWith(23, r => r with
        {
            AskAgainAfter = TimeSpan.FromSeconds(1), RetryInterval = TimeSpan.FromMinutes(10), ReadHold = TimeSpan.FromSeconds(30),
        });
        var replica = Sys.ActorOf(Replica.Props(options));
        var first = _peer.ExpectMsg<StreamPartition>();

        // A cut link drops requests and answers without a word: the replica asks again (after resync-ask-again-after).
        var again = _peer.ExpectMsg<StreamPartition>();
        Assert.NotEqual(first.RequestId, again.RequestId);
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        // A peer that was only slow answers the first request after all: that answer counts, the other is ignored.
        _peer.LastSender.Tell(new PartitionChunk(first.RequestId, PeerNode, [], Last: true), _peer.Ref);
        _peer.LastSender.Tell(new PartitionChunk(again.RequestId, PeerNode, [new("k", State(9, 9))], Last: true), _peer.Ref);

        Assert.False(ExpectMsg<KeyRead>().NeedsRepair);
        AwaitAssert(() => Assert.Null(Inspect(replica, "k").RepairReason), TimeSpan.FromSeconds(5));
        Assert.Empty(Inspect(replica, "k").State.Siblings); // the second answer was not merged
    }

    [Fact]
    public void A_read_waiting_for_the_peers_word_asks_a_silent_peer_again_sooner_than_the_backed_off_schedule()
    {
        var options = OptionsWith(24, r => r with
        {
            AskAgainAfter = TimeSpan.FromMilliseconds(300), IdleTimeout = TimeSpan.FromSeconds(30),
            RetryInterval = TimeSpan.FromMinutes(10), ReadHold = TimeSpan.FromSeconds(30),
        });
        var replica = Sys.ActorOf(Replica.Props(options));
        // Asked at 0, 0.3, 0.9 and 2.1 s: the next scheduled ask is 2.4 s after the last.
        for (var i = 0; i < 4; i++) _peer.ExpectMsg<StreamPartition>();
        _peer.ExpectNoMsg(TimeSpan.FromMilliseconds(400)); // asks are spaced by resync-ask-again-after, nudged or not

        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);

        var nudged = _peer.ExpectMsg<StreamPartition>(TimeSpan.FromSeconds(1.5));
        _peer.LastSender.Tell(new PartitionChunk(nudged.RequestId, PeerNode, [], Last: true), _peer.Ref);
        Assert.False(ExpectMsg<KeyRead>().NeedsRepair);
    }

    [Fact]
    public void A_replica_that_starts_without_history_where_a_peer_knew_another_epoch_lost_its_storage_and_stops_voting()
    {
        var options = TestReplicas.Options(19, 100, (PeerNode, _peer.Ref));
        var replica = Sys.ActorOf(Replica.Props(options));
        var sync = _peer.ExpectMsg<StreamPartition>();
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        var peerKeys = new KeyValuePair<string, SiblingSet>[] { new("k", State(77, 7)) };

        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, peerKeys, Last: true, EarlierEpoch: 0x1234), _peer.Ref);

        Assert.True(ExpectMsg<KeyRead>().NeedsRepair); // the held read is answered, without a vote
        var k = Inspect(replica, "k");
        Assert.Contains("knew epoch 0000000000001234", k.RepairReason);
        Assert.NotEqual(sync.RequesterEpoch, k.ReplicaEpoch);
        var strict = _peer.ExpectMsg<StreamPartition>(); // a sync with every peer now
        Assert.Equal(k.ReplicaEpoch, strict.RequesterEpoch);
        _peer.LastSender.Tell(new PartitionChunk(strict.RequestId, PeerNode, peerKeys, Last: true), _peer.Ref);
        AwaitAssert(() => Assert.False(Read(replica, options, "k").NeedsRepair), TimeSpan.FromSeconds(5));
        Assert.Equal([7], Assert.Single(Inspect(replica, "k").State.Values));
    }

    [Fact]
    public void A_replica_that_renewed_its_epoch_before_its_first_check_finished_is_not_taken_for_one_that_lost_its_storage()
    {
        var options = TestReplicas.Options(23, 100, (PeerNode, _peer.Ref));
        var first = Sys.ActorOf(Replica.Props(options));
        var unanswered = _peer.ExpectMsg<StreamPartition>(); // the first check; the peer remembers this epoch
        Watch(first);
        Sys.Stop(first); // no clean stop: the next start renews the epoch, with the first check still pending
        ExpectTerminated(first);

        var replica = Sys.ActorOf(Replica.Props(options));
        var sync = _peer.FishForMessage<StreamPartition>(s => s.RequesterEpoch != unanswered.RequesterEpoch);
        replica.Tell(new ReadKey(++_requestId, options.Partition, "k"), TestActor);
        _peer.LastSender.Tell(new PartitionChunk(sync.RequestId, PeerNode, [], Last: true, EarlierEpoch: unanswered.RequesterEpoch), _peer.Ref);

        Assert.False(ExpectMsg<KeyRead>().NeedsRepair); // the epoch the peer knew was this replica's own: it votes
        var k = Inspect(replica, "k");
        Assert.Equal(sync.RequesterEpoch, k.ReplicaEpoch);
        Assert.Null(k.RepairReason);
    }

    [Fact]
    public void A_replica_remembers_the_epochs_of_peers_that_synced_with_it_and_tells_a_replacement_until_it_repairs()
    {
        var options = TestReplicas.Options(20, 100, (PeerNode, _peer.Ref));
        var replica = StartFresh(options);
        Write(replica, options, "k", [1]);

        Assert.Equal(0L, Ask(replica, options, 0xAAA, fresh: true).EarlierEpoch); // never saw that peer before
        StopCleanly(replica);
        replica = Start(options, expectResync: false); // the peer's epoch was made durable

        Assert.Equal(0L, Ask(replica, options, 0xAAA, fresh: true).EarlierEpoch); // the same replica again
        Assert.Equal(0xAAAL, Ask(replica, options, 0xBBB, fresh: true).EarlierEpoch); // another, without history, where it stood
        Assert.Equal(0xAAAL, Ask(replica, options, 0xBBB, fresh: true).EarlierEpoch); // told every time it asks so
        Assert.Equal(0L, Ask(replica, options, 0xCCC, fresh: false).EarlierEpoch); // it came back repairing: remembered
        Assert.Equal(0xCCCL, Ask(replica, options, 0xDDD, fresh: true).EarlierEpoch);
    }
}
