using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The core's collection of tombstones by causal stability. A deleted key's tombstone may go once every owner of the
// partition holds it: then no owner can bring back a value it covers. Exchanges tell the replica when every owner held
// the same tree (MarkStable); each tombstone is then marked with the time and its entry hash, and dropped once the mark
// is older than the grace period (which covers writes still in flight from before the delete) and the key has not
// changed since. An owner that was down at the delete keeps the exchanges from finding all owners in sync, so it delays
// collection until it is back and repaired. A key written again later gets versions past every own counter the dropped
// clocks held (see Collected), so no dot is ever issued twice.
internal sealed partial class ReplicaCore<TPeer, TReplyTo>
{
    // Tombstones every owner held, by key: when that was first seen here (a TimeProvider timestamp) and the key's entry
    // hash then. Not persisted: after a restart the next exchange that finds all owners in sync marks them again.
    private readonly Dictionary<string, (long Since, ulong EntryHash)> _stableTombstones = new(StringComparer.Ordinal);

    /// <summary>
    /// An exchange found every owner with a tree of root <paramref name="root"/>. When this replica's root is still that,
    /// every tombstone it holds is held by every owner: each not yet marked is marked at <paramref name="now"/>. Returns
    /// whether the root matched.
    /// </summary>
    public bool MarkStable(ulong root, long now)
    {
        if (_keys.Tree.Root != root) return false;
        foreach (var (key, state) in _keys.DurableSnapshot())
        {
            if (state.HasValues || state.Siblings.Count == 0 || _keys.HasInFlight(key)) continue;
            var hash = AntiEntropy.MerkleTree.EntryHash(key, state.Clock);
            if (!_stableTombstones.TryGetValue(key, out var mark) || mark.EntryHash != hash) _stableTombstones[key] = (now, hash);
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
        foreach (var key in keys) _stableTombstones.Remove(key);
    }

    /// <summary>
    /// The tombstones marked at least <paramref name="grace"/> (in timestamp ticks) before <paramref name="now"/> and
    /// unchanged since, as the marker to persist, or null when there are none. The keys leave once the marker is durable
    /// (<see cref="DropCollected"/>); a write that arrives meanwhile is journaled after it and stands.
    /// </summary>
    public TombstonesCollected? CollectStable(long now, long grace)
    {
        var keys = new List<string>();
        var collected = VersionVector.Empty;
        foreach (var (key, (since, hash)) in _stableTombstones.ToArray())
        {
            var state = _keys.Durable(key);
            if (state.HasValues || state.Siblings.Count == 0 || _keys.HasInFlight(key) ||
                AntiEntropy.MerkleTree.EntryHash(key, state.Clock) != hash)
            {
                _stableTombstones.Remove(key); // written or merged since: marked again when all owners hold the new state
                continue;
            }
            if (now - since < grace) continue;
            keys.Add(key);
            _stableTombstones.Remove(key);
            collected = collected.Merge(OwnCounters(state.Clock));
        }
        return keys.Count == 0 ? null : Marker(new TombstonesCollected(ReplicaEpoch, keys.ToArray(), collected));
    }

    /// <summary>The entries of <paramref name="clock"/> that are this replica's own epochs, current or retired: what a
    /// dropped state's clock held of its own counters, kept so no dot is ever issued twice.</summary>
    private VersionVector OwnCounters(VersionVector clock) => VersionVector.From(clock.Entries.Where(e => _standing.IsOwnEpoch(e.Epoch)));

    /// <summary>The journal confirmed <paramref name="collected"/> (or recovery replays it): its keys leave.</summary>
    public void DropCollected(TombstonesCollected collected)
    {
        foreach (var key in collected.Keys) _keys.Restore(key, SiblingSet.Empty);
        _keys.TrimAfterRemovals();
        _stableTombstones.TrimIfSparse();
    }

    /// <summary>How many tombstones every owner is known to hold, waiting for their grace period.</summary>
    public int StableTombstoneCount => _stableTombstones.Count;

    /// <summary>The context a client write of <paramref name="key"/> is built on: past every own counter of a dropped
    /// tombstone when the replica holds nothing of the key (it may be one it dropped).</summary>
    private VersionVector PastCollected(string key, VersionVector context)
    {
        var own = _standing.Collected.Get(ReplicaEpoch);
        return own == 0 || _keys.Newest(key).Clock.Count != 0
            ? context
            : context.Merge(VersionVector.From([new VersionVector.Entry(ReplicaEpoch, own)]));
    }

    /// <summary>What this replica may have issued under <paramref name="epoch"/> for a key it holds as
    /// <paramref name="held"/>: its clock's counter, or, for a key whose clock has none (it may have dropped the key's
    /// tombstone), the counters of the tombstones it dropped.</summary>
    private long OwnCounterBound(SiblingSet held, long epoch) =>
        held.Clock.Get(epoch) is var counter && counter != 0 ? counter : _standing.Collected.Get(epoch);
}
