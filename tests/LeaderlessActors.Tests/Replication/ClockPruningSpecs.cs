using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>
/// Pruning of clock entries no live version carries, by causal stability, in <see cref="ReplicaCore{TPeer,TReplyTo}"/>
/// driven directly: the same marks and grace period as tombstone collection (<see cref="TombstoneCollectionSpecs"/>).
/// </summary>
public sealed class ClockPruningSpecs
{
    private const long Epoch = 0x5EED;
    private const long Peer = 0x0B;
    private const long Grace = 10;
    private long _requestId;

    [Fact]
    public void A_live_key_every_owner_holds_loses_the_clock_entries_of_overwritten_writers_after_the_grace_period_only()
    {
        var core = VotingCores.New(Epoch);
        var overwritten = OtherOwnerWrote(core, "k", [1]);
        var live = core.WriteConfirmed(++_requestId, "k", [2], overwritten.Clock);
        Assert.Equal(2, live.Clock.Count);

        Assert.True(core.MarkStable(core.Root(), now: 100));
        Assert.Equal((null, null), core.CollectStable(now: 100 + Grace - 1, Grace));
        var pruned = Prune(core, now: 100 + Grace);

        Assert.Equal(["k"], pruned.Keys);
        Assert.Equal(VersionVector.Empty, pruned.Collected); // the peer's epoch is not this replica's own
        var after = core.Durable("k");
        Assert.Equal([new VersionVector.Entry(Epoch, live.Clock.Get(Epoch))], after.Clock.Entries);
        Assert.Equal(live.Siblings, after.Siblings);
    }

    [Fact]
    public void A_key_written_since_the_mark_or_whose_writers_all_still_have_a_version_keeps_its_clock()
    {
        var core = VotingCores.New(Epoch);
        var overwritten = OtherOwnerWrote(core, "k", [1]);
        core.WriteConfirmed(++_requestId, "k", [2], overwritten.Clock);
        OtherOwnerWrote(core, "concurrent", [3]);
        core.WriteConfirmed(++_requestId, "concurrent", [4]); // a sibling beside the peer's: both writers carry one
        Assert.True(core.MarkStable(core.Root(), now: 0));

        core.WriteConfirmed(++_requestId, "k", [5], core.Durable("k").Clock);

        Assert.Equal((null, null), core.CollectStable(now: 1000, Grace));
        Assert.Equal(2, core.Durable("k").Clock.Count);
        Assert.Equal(2, core.Durable("concurrent").Clock.Count);
    }

    [Fact]
    public void A_retired_own_epoch_is_pruned_and_its_counter_kept_so_no_dot_is_issued_twice()
    {
        var epochs = new Queue<long>([Epoch, Epoch + 1]);
        var core = new ReplicaCore<string, string>(10, 1000, () => epochs.Dequeue());
        core.RecoveryCompleted(0);
        core.MarkerConfirmed(core.StartEpoch());
        core.PeersChecked();
        core.MarkerConfirmed(core.ResyncCompleted()!);
        var first = core.WriteConfirmed(++_requestId, "k", [1]);
        core.MarkerConfirmed(core.RenewEpoch()); // an unclean restart: Epoch retires, Epoch + 1 writes from now on
        var second = core.WriteConfirmed(++_requestId, "k", [2], first.Clock);

        Assert.True(core.MarkStable(core.Root(), now: 0));
        var pruned = Prune(core, now: Grace);

        Assert.Equal(first.Clock.Get(Epoch), pruned.Collected.Get(Epoch));
        Assert.Equal(0, core.Durable("k").Clock.Get(Epoch));
        // The unpruned state, still on its way from another owner, changes no value; the pruned entry comes back with it.
        var merge = core.MergePeerState("peer", ++_requestId, "k", second);
        Assert.Null(merge.LostOwnVersion);
        core.KeyConfirmed(merge.Persist!);
        Assert.Equal(second.Siblings, core.Durable("k").Siblings);
    }

    [Fact]
    public void Owners_that_prune_the_same_state_agree_again_and_a_write_after_pruning_issues_a_dot_past_the_pruned_ones()
    {
        var owners = new[] { VotingCores.New(Epoch), VotingCores.New(Peer) };
        var overwritten = owners[1].WriteConfirmed(++_requestId, "k", [1]);
        var live = owners[0].WriteConfirmed(++_requestId, "k", [2], overwritten.Clock);
        owners[1].KeyConfirmed(owners[1].MergePeerState("peer", ++_requestId, "k", live).Persist!);
        Assert.Equal(owners[0].Root(), owners[1].Root());

        foreach (var owner in owners) Assert.True(owner.MarkStable(owner.Root(), now: 0));
        var pruned = owners.Select(owner => Prune(owner, now: Grace)).ToArray();

        Assert.Equal(owners[0].Root(), owners[1].Root());
        Assert.Equal(overwritten.Clock.Get(Peer), pruned[1].Collected.Get(Peer));
        var again = owners[1].WriteConfirmed(++_requestId, "k", [3], owners[1].Durable("k").Clock);
        var issued = again.Siblings.Single().Dot;
        Assert.Equal(Peer, issued.Epoch);
        Assert.True(issued.Counter > overwritten.Clock.Get(Peer), $"{again} reuses a counter of {overwritten}");
    }

    [Fact]
    public void Recovery_replays_a_pruning_so_the_clock_stays_pruned_and_the_counters_stay_used()
    {
        var core = VotingCores.New(Epoch);
        var overwritten = OtherOwnerWrote(core, "k", [1]);
        var live = core.WriteConfirmed(++_requestId, "k", [2], overwritten.Clock);
        var replayed = VotingCores.New(Epoch, recover: false);
        replayed.Replay(1, new ReplicaEpochStarted(Epoch));
        replayed.Replay(2, new ReplicaResynced(Epoch));
        replayed.Replay(3, new KeyUpdated("k", live));
        replayed.Replay(4, new ClocksPruned(Epoch, ["k"], VersionVector.Empty));
        replayed.RecoveryCompleted(4);

        Assert.Equal(live.WithoutIdleEpochs(), replayed.Durable("k"));
        Assert.Equal(1, replayed.Durable("k").Clock.Count);
    }

    /// <summary>Another owner (epoch <see cref="Peer"/>) wrote <paramref name="value"/> and replicated it here.</summary>
    private SiblingSet OtherOwnerWrote(ReplicaCore<string, string> core, string key, byte[] value)
    {
        var state = SiblingSet.Empty.Update(VersionVector.Empty, value, Peer);
        core.KeyConfirmed(core.MergePeerState("peer", ++_requestId, key, state).Persist!);
        return state;
    }

    private static ClocksPruned Prune(ReplicaCore<string, string> core, long now)
    {
        var pruned = core.CollectStable(now, Grace).Pruned!;
        core.MarkerConfirmed(pruned);
        core.PruneCollected(pruned);
        return pruned;
    }

}
