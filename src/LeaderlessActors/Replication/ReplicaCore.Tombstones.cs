using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The core's collection of tombstones and pruning of clocks by causal stability. A deleted key's tombstone may go once
// every owner of the partition holds it: then no owner can bring back a value it covers. Likewise a live key's clock
// entries of epochs no sibling carries (history of versions long overwritten, often of epochs retired by restarts) may go
// once every owner holds the same state. Exchanges tell the replica when every owner held the same tree (MarkStable);
// each such state is then marked with the time and its entry hash, and dropped or pruned once the mark is older than the
// grace period (which covers writes still in flight from before) and the key has not changed since. Every owner prunes
// the same state to the same result, so their trees agree again. An owner that was down keeps the exchanges from finding
// all owners in sync, so it delays collection until it is back and repaired. A key written again later gets versions
// past every own counter the dropped or pruned entries held (see Collected), so no dot is ever issued twice.
internal sealed partial class ReplicaCore<TPeer, TReplyTo>
{
    // States every owner held that can shrink (tombstones, clocks with idle epochs), by key: when that was first seen
    // here (a TimeProvider timestamp) and the key's entry hash then. Not persisted: after a restart the next exchange
    // that finds all owners in sync marks them again.
    private readonly Dictionary<string, (long Since, ulong EntryHash)> _stableStates = new(StringComparer.Ordinal);

    /// <summary>
    /// An exchange found every owner with a tree of root <paramref name="root"/>. When this replica's root is still that,
    /// every state it holds is held by every owner: each tombstone and each clock with idle epochs not yet marked is
    /// marked at <paramref name="now"/>. Returns whether the root matched.
    /// </summary>
    public bool MarkStable(ulong root, long now)
    {
        if (_keys.Tree.Root != root) return false;
        foreach (var (key, state) in _keys.DurableSnapshot())
        {
            if (!CanShrink(state) || _keys.HasInFlight(key)) continue;
            var hash = AntiEntropy.MerkleTree.EntryHash(key, state.Clock);
            if (!_stableStates.TryGetValue(key, out var mark) || mark.EntryHash != hash) _stableStates[key] = (now, hash);
        }
        return true;
    }

    /// <summary>
    /// An exchange asks for the states of <paramref name="keys"/>: they differ between the owners, so this replica's marks
    /// on them go, as every other owner's do on the same request; the next exchange that finds all owners in sync marks
    /// them again on all of them at once. Without this, owners whose marks are of different rounds chase each other: the
    /// one marked earlier drops the tombstone, repair gives it back from the others, who drop theirs a round later while
    /// the first marks it anew, and so on, never all at once (seen in TombstoneCollectionSpec after an owner's restart).
    /// </summary>
    public void ForgetStable(IEnumerable<string> keys)
    {
        foreach (var key in keys) _stableStates.Remove(key);
    }

    /// <summary>
    /// The states marked at least <paramref name="grace"/> (in timestamp ticks) before <paramref name="now"/> and
    /// unchanged since, as the markers to persist: the tombstones to drop and the clocks to prune, each null when there are
    /// none. The keys change once a marker is durable (<see cref="DropCollected"/>, <see cref="PruneCollected"/>); a write
    /// that arrives meanwhile is journaled after it and stands.
    /// </summary>
    public (TombstonesCollected? Dropped, ClocksPruned? Pruned) CollectStable(long now, long grace)
    {
        var (dropped, pruned) = (new List<string>(), new List<string>());
        var (droppedOwn, prunedOwn) = (VersionVector.Empty, VersionVector.Empty);
        foreach (var (key, (since, hash)) in _stableStates.ToArray())
        {
            var state = _keys.Durable(key);
            if (!CanShrink(state) || _keys.HasInFlight(key) || AntiEntropy.MerkleTree.EntryHash(key, state.Clock) != hash)
            {
                _stableStates.Remove(key); // written or merged since: marked again when all owners hold the new state
                continue;
            }
            if (now - since < grace) continue;
            _stableStates.Remove(key);
            if (state.HasValues)
            {
                pruned.Add(key);
                var kept = state.WithoutIdleEpochs().Clock;
                prunedOwn = prunedOwn.Merge(OwnCounters(VersionVector.From(state.Clock.Entries.Where(e => kept.Get(e.Epoch) == 0))));
            }
            else
            {
                dropped.Add(key);
                droppedOwn = droppedOwn.Merge(OwnCounters(state.Clock));
            }
        }
        return (dropped.Count == 0 ? null : Marker(new TombstonesCollected(ReplicaEpoch, dropped.ToArray(), droppedOwn)),
            pruned.Count == 0 ? null : Marker(new ClocksPruned(ReplicaEpoch, pruned.ToArray(), prunedOwn)));
    }

    /// <summary>A tombstone (it can go) or a live state whose clock has idle epochs (they can go).</summary>
    private static bool CanShrink(SiblingSet state) =>
        state.Siblings.Count != 0 && (!state.HasValues || state.HasIdleEpochs);

    /// <summary>The entries of <paramref name="clock"/> that are this replica's own epochs, current or retired: what a
    /// dropped state's clock held of its own counters, kept so no dot is ever issued twice.</summary>
    private VersionVector OwnCounters(VersionVector clock) => VersionVector.From(clock.Entries.Where(e => _standing.IsOwnEpoch(e.Epoch)));

    /// <summary>The journal confirmed <paramref name="collected"/> (or recovery replays it): its keys leave.</summary>
    public void DropCollected(TombstonesCollected collected)
    {
        foreach (var key in collected.Keys) _keys.Restore(key, SiblingSet.Empty);
        _keys.TrimAfterRemovals();
        _stableStates.TrimIfSparse();
    }

    /// <summary>The journal confirmed <paramref name="pruned"/> (or recovery replays it): its keys' clocks lose their idle
    /// epochs. The journal holds the same states at the marker as when it was decided, so a replay prunes the same.</summary>
    public void PruneCollected(ClocksPruned pruned)
    {
        foreach (var key in pruned.Keys) _keys.Restore(key, _keys.Durable(key).WithoutIdleEpochs());
    }

    /// <summary>How many states every owner is known to hold, waiting for their grace period to be dropped or pruned.</summary>
    public int StableStateCount => _stableStates.Count;

    /// <summary>The context a client write of <paramref name="key"/> is built on: past every own counter of a dropped
    /// tombstone or pruned clock entry when the key's clock holds no counter of this epoch (it may have dropped it).</summary>
    private VersionVector PastCollected(string key, VersionVector context)
    {
        var own = _standing.Collected.Get(ReplicaEpoch);
        return own == 0 || _keys.Newest(key).Clock.Get(ReplicaEpoch) != 0
            ? context
            : context.Merge(VersionVector.From([new VersionVector.Entry(ReplicaEpoch, own)]));
    }

    /// <summary>What this replica may have issued under <paramref name="epoch"/> for a key it holds as
    /// <paramref name="held"/>: its clock's counter, or, for a key whose clock has none (it may have dropped the key's
    /// tombstone or pruned the entry), the counters of what it dropped and pruned.</summary>
    private long OwnCounterBound(SiblingSet held, long epoch) =>
        held.Clock.Get(epoch) is var counter && counter != 0 ? counter : _standing.Collected.Get(epoch);
}
