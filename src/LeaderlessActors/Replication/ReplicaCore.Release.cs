using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The core's release of a partition its node no longer owns: once every new owner confirmed being filled, the old
// owner's copy is dropped. Its own-epoch counters are kept (as for collected tombstones), so should the partition come
// back no dot is issued twice, and it no longer votes: a coordinator that has not heard of the move yet may still ask it.
internal sealed partial class ReplicaCore<TPeer, TReplyTo>
{
    /// <summary>Whether the copy was released: the replica holds nothing it must keep, does not vote and does not
    /// resync until the partition returns to its node.</summary>
    public bool Released => _standing.Repair?.IsRelease == true;

    /// <summary>
    /// The marker that releases the copy, or null when the replica cannot release now: before its first epoch, already
    /// released, or while writes are in flight (their answers would follow a dropped state: ask again later). The
    /// replica acts released from now on; its keys leave once the marker is durable (<see cref="DropReleased"/>).
    /// </summary>
    public PartitionReleased? Release()
    {
        if (ReplicaEpoch == 0 || Released || _waiting.Count > 0) return null;
        var own = VersionVector.Empty;
        foreach (var (_, state) in _keys.DurableSnapshot()) own = own.Merge(OwnCounters(state.Clock));
        return Marker(new PartitionReleased(ReplicaEpoch, own));
    }

    /// <summary>The journal confirmed the release (or recovery replays it): every journal-confirmed key leaves. A write
    /// that arrived meanwhile is journaled after the marker and stands, as it does when the journal is replayed.</summary>
    public void DropReleased()
    {
        foreach (var (key, _) in _keys.DurableSnapshot()) _keys.Restore(key, SiblingSet.Empty);
        _keys.TrimAfterRemovals();
        _stableStates.Clear();
        _stableStates.TrimIfSparse();
    }
}
