using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>The release of a partition copy its node no longer owns (<see cref="ReplicaCore{TPeer,TReplyTo}.Release"/>),
/// driven directly: the keys go, the vote goes, the counters stay, and the partition can come back.</summary>
public sealed class PartitionReleaseSpecs
{
    private const long Epoch = 0x5EED;
    private readonly ReplicaCore<string, string> _core = NewCore();
    private long _requestId;

    [Fact]
    public void A_released_copy_holds_no_key_does_not_vote_and_a_later_write_of_a_dropped_key_issues_a_dot_past_it()
    {
        var held = Write("k", [1]);
        Write("other", [2]);

        var released = Release();

        Assert.True(released.Collected.Get(Epoch) >= held.Clock.Get(Epoch), $"{released} forgets a counter of {held}");
        Assert.Equal(0, _core.DurableKeyCount);
        Assert.True(_core.Released);
        Assert.False(_core.Votes);
        Assert.Null(_core.Release()); // once
        var read = _core.Read("coordinator", ++_requestId, "k");
        Assert.True(read is { NeedsRepair: true }, "a released copy answers at once, without a vote");
        var again = _core.CoordinateWrite("client", ++_requestId, "k", VersionVector.Empty, [3], maxSiblings: 10).Persist!;
        Assert.True(again.Issued!.Value.Counter > held.Clock.Get(Epoch), $"{again.Issued} reuses a counter of {held}");
    }

    [Fact]
    public void No_release_while_a_write_is_in_flight()
    {
        Write("k", [1]);
        var pending = _core.CoordinateWrite("client", ++_requestId, "k", _core.Durable("k").Clock, [2], maxSiblings: 10).Persist!;

        Assert.Null(_core.Release());
        _core.KeyConfirmed(pending);
        Assert.NotNull(_core.Release());
    }

    [Fact]
    public void A_peer_state_merged_after_the_release_stays_and_is_not_taken_for_lost_history()
    {
        var held = Write("k", [1]);
        Release();

        var merge = _core.MergePeerState("peer", ++_requestId, "k", held);

        Assert.Null(merge.LostOwnVersion);
        _core.KeyConfirmed(merge.Persist!);
        Assert.Equal(held, _core.Durable("k"));
        Assert.False(_core.Votes);
    }

    [Fact]
    public void When_the_partition_returns_the_replica_fills_as_a_new_owner_and_votes_once_filled()
    {
        Write("k", [1]);
        Release();

        _core.MarkerConfirmed(_core.Marker(new ReplicaHandoffStarted(Epoch)));
        Assert.Equal(RepairNeed.Handoff, _core.Repair);
        Assert.False(_core.Released);
        _core.MarkerConfirmed(_core.ResyncCompleted()!);
        Assert.True(_core.Votes);
    }

    [Fact]
    public void Recovery_replays_the_release_so_the_keys_stay_gone_their_counters_stay_used_and_later_writes_stand()
    {
        var value = Write("k", [1]);
        var replayed = NewCore(recover: false);
        replayed.Replay(1, new ReplicaEpochStarted(Epoch));
        replayed.Replay(2, new ReplicaResynced(Epoch));
        replayed.Replay(3, new KeyUpdated("k", value));
        replayed.Replay(4, new KeyUpdated("other", value));
        replayed.Replay(5, new PartitionReleased(Epoch, value.Clock));
        replayed.Replay(6, new KeyUpdated("late", value));
        replayed.Replay(7, new ReplicaStoppedCleanly(Epoch));

        Assert.Equal(AfterRecovery.Resync, replayed.RecoveryCompleted(7));
        Assert.Equal((SiblingSet.Empty, SiblingSet.Empty, value), (replayed.Durable("k"), replayed.Durable("other"), replayed.Durable("late")));
        Assert.True(replayed.Released);
        var again = replayed.CoordinateWrite("client", 1, "k", VersionVector.Empty, [2], maxSiblings: 10).Persist!;
        Assert.True(again.Issued!.Value.Counter > value.Clock.Get(Epoch));
    }

    private static ReplicaCore<string, string> NewCore(bool recover = true) => VotingCores.New(Epoch, recover);

    private SiblingSet Write(string key, byte[]? value, VersionVector? context = null) => _core.WriteConfirmed(++_requestId, key, value, context);

    private PartitionReleased Release()
    {
        var released = _core.Release()!;
        _core.MarkerConfirmed(released);
        _core.DropReleased();
        return released;
    }
}
