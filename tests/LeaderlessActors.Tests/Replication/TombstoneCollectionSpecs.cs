using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.Replication;

/// <summary>Tombstone collection by causal stability in <see cref="ReplicaCore{TPeer,TReplyTo}"/>, driven directly.</summary>
public sealed class TombstoneCollectionSpecs
{
    private const long Epoch = 0x5EED;
    private const long Grace = 10;
    private readonly ReplicaCore<string, string> _core = NewCore();
    private long _requestId;

    [Fact]
    public void A_tombstone_every_owner_holds_goes_only_after_the_grace_period_and_a_new_write_of_the_key_issues_a_dot_past_it()
    {
        Write("k", [1]);
        var tombstone = Write("k", null, _core.Durable("k").Clock);

        Assert.True(_core.MarkStable(_core.Root(), now: 100));
        Assert.Equal((null, null), _core.CollectStable(now: 100 + Grace - 1, Grace));
        var collected = Collect(now: 100 + Grace);

        Assert.Equal(["k"], collected.Keys);
        Assert.Equal(tombstone.Clock.Get(Epoch), collected.Collected.Get(Epoch));
        Assert.Equal(SiblingSet.Empty, _core.Durable("k"));
        Assert.Equal(0, _core.DurableKeyCount);
        var again = Write("k", [2]);
        Assert.True(again.Siblings.Single().Dot.Counter > tombstone.Clock.Get(Epoch), $"{again} reuses a counter of {tombstone}");
    }

    [Fact]
    public void A_tombstone_written_over_or_a_root_that_moved_since_the_exchange_keeps_the_key()
    {
        Write("k", null);
        Write("other", [1]);
        Assert.False(_core.MarkStable(_core.Root() + 1, now: 0)); // another root: nothing marked
        Assert.Equal((null, null), _core.CollectStable(now: 1000, Grace));

        Assert.True(_core.MarkStable(_core.Root(), now: 0));
        Write("k", [2], _core.Durable("k").Clock);
        Assert.Equal((null, null), _core.CollectStable(now: 1000, Grace));
        Assert.True(_core.Durable("k").HasValues);
    }

    [Fact]
    public void A_peers_copy_of_a_dropped_tombstone_comes_back_as_a_tombstone_and_is_not_taken_for_lost_history()
    {
        Write("k", [1]);
        var tombstone = Write("k", null, _core.Durable("k").Clock);
        _core.MarkStable(_core.Root(), now: 0);
        Collect(now: Grace);

        var merge = _core.MergePeerState("peer", ++_requestId, "k", tombstone);

        Assert.Null(merge.LostOwnVersion);
        _core.KeyConfirmed(merge.Persist!);
        Assert.False(_core.Durable("k").HasValues);
    }

    [Fact]
    public void Owners_whose_marks_are_of_different_rounds_drop_the_tombstone_together_once_an_exchange_found_it_differing()
    {
        // Three owners hold the same tombstone; an exchange found them in sync, but one (x) missed the mark (its root
        // had moved by the time the mark arrived).
        var owners = new[] { _core, NewCore(0x0A), NewCore(0x0B) };
        Write("k", [1]);
        var tombstone = Write("k", null, _core.Durable("k").Clock);
        foreach (var owner in owners.Skip(1)) owner.KeyConfirmed(owner.MergePeerState("peer", ++_requestId, "k", tombstone).Persist!);
        var x = owners[2];
        foreach (var owner in owners.Take(2)) Assert.True(owner.MarkStable(owner.Root(), now: 0));

        // A grace period later the next in-sync exchange: the two collect, x marks for the first time.
        foreach (var owner in owners.Take(2)) Collect(owner, now: Grace);
        Assert.True(x.MarkStable(x.Root(), now: Grace));

        // The next exchange finds x apart and asks every owner for the key's state: every mark on it goes, and the two
        // get the tombstone back by repair.
        foreach (var owner in owners) owner.ForgetStable(["k"]);
        foreach (var owner in owners.Take(2)) owner.KeyConfirmed(owner.MergePeerState("peer", ++_requestId, "k", x.Durable("k")).Persist!);
        Assert.Equal((null, null), x.CollectStable(now: 2 * Grace, Grace)); // x's older mark went: it does not drop alone

        // In sync again: all mark together, and a grace period later all drop together.
        foreach (var owner in owners) Assert.True(owner.MarkStable(owner.Root(), now: 2 * Grace));
        foreach (var owner in owners) Assert.Equal((null, null), owner.CollectStable(now: 3 * Grace - 1, Grace));
        foreach (var owner in owners) Collect(owner, now: 3 * Grace);
        Assert.All(owners, owner => Assert.Equal(SiblingSet.Empty, owner.Durable("k")));
    }

    [Fact]
    public void Recovery_replays_a_collection_so_the_key_stays_gone_and_its_counters_stay_used()
    {
        var value = Write("k", [1]);
        var tombstone = value.Update(value.Clock, null, Epoch);
        var replayed = NewCore(recover: false);
        replayed.Replay(1, new ReplicaEpochStarted(Epoch));
        replayed.Replay(2, new ReplicaResynced(Epoch));
        replayed.Replay(3, new KeyUpdated("k", tombstone));
        replayed.Replay(4, new TombstonesCollected(Epoch, ["k"], tombstone.Clock));
        replayed.RecoveryCompleted(4);

        Assert.Equal(SiblingSet.Empty, replayed.Durable("k"));
        var again = replayed.CoordinateWrite("client", 1, "k", VersionVector.Empty, [2], maxSiblings: 10).Persist!;
        Assert.True(again.Issued!.Value.Counter > tombstone.Clock.Get(Epoch));
    }

    private static ReplicaCore<string, string> NewCore(bool recover = true) => VotingCores.New(Epoch, recover);

    private static ReplicaCore<string, string> NewCore(long epoch) => VotingCores.New(epoch);

    private SiblingSet Write(string key, byte[]? value, VersionVector? context = null) => _core.WriteConfirmed(++_requestId, key, value, context);

    private TombstonesCollected Collect(long now) => Collect(_core, now);

    private static TombstonesCollected Collect(ReplicaCore<string, string> core, long now)
    {
        var collected = core.CollectStable(now, Grace).Dropped!;
        core.MarkerConfirmed(collected);
        core.DropCollected(collected);
        return collected;
    }

}
