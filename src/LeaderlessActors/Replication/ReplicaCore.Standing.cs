using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The core's standing: recovery from the journal, its epochs, the markers that record them, and what peers asking for
// its state are told.
internal sealed partial class ReplicaCore<TPeer, TReplyTo>
{
    /// <summary>Recovery offered a snapshot taken at <paramref name="sequenceNr"/>.</summary>
    public void RecoverSnapshot(long sequenceNr, ReplicaStanding<TPeer> standing, KeyValuePair<string, SiblingSet>[] keys)
    {
        _history.Snapshot(sequenceNr);
        _stoppedCleanly = null;
        _standing = _durableStanding = standing;
        _keys.Clear();
        foreach (var (key, state) in keys) _keys.Restore(key, state);
    }

    public void RecoverUnreadableSnapshot(long sequenceNr, string error)
    {
        _history.Snapshot(sequenceNr);
        _stoppedCleanly = null;
        _history.Lose($"the snapshot at event {sequenceNr} is unreadable: {error}");
    }

    /// <summary>Replays journal event <paramref name="sequenceNr"/>; false for an entry no replica writes (a bug).</summary>
    public bool Replay(long sequenceNr, object entry)
    {
        _history.Event(sequenceNr);
        // Only a clean stop that nothing followed proves the journal complete.
        _stoppedCleanly = entry is ReplicaStoppedCleanly stop ? (sequenceNr, stop.ReplicaEpoch) : null;
        switch (entry)
        {
            case ReplicaStoppedCleanly:
                return true;
            case KeyUpdated e:
                _keys.Restore(e.Key, e.State);
                _eventsSinceSnapshot++;
                return true;
            case TombstonesCollected collected:
                _standing = _durableStanding = _standing.Apply(collected);
                DropCollected(collected);
                return true;
            case ClocksPruned pruned:
                _standing = _durableStanding = _standing.Apply(pruned);
                PruneCollected(pruned);
                return true;
            case PartitionReleased released:
                _standing = _durableStanding = _standing.Apply(released);
                DropReleased();
                return true;
            case UnreadableEntry u:
                _history.Lose($"journal event {sequenceNr} is unreadable: {u.Error}");
                return true;
            case var marker when _standing.ApplyIfMarker(marker) is { } next:
                _standing = _durableStanding = next;
                if (marker is ReplicaHistoryLost) _history.Answered();
                return true;
            default:
                return false;
        }
    }

    /// <summary>Recovery is over; <paramref name="highestSequenceNr"/> is the highest the journal ever stored.</summary>
    public AfterRecovery RecoveryCompleted(long highestSequenceNr)
    {
        _history.Completed(highestSequenceNr);
        _endsWithCleanStopOf = StoppedCleanlyAt(highestSequenceNr) ? ReplicaEpoch : 0;
        if (_history.Lost is not null) return AfterRecovery.StartOver;
        if (ReplicaEpoch == 0) return AfterRecovery.StartEpoch;
        if (!StoppedCleanlyAt(highestSequenceNr)) return AfterRecovery.RenewEpoch;
        return _standing.Repair is null ? AfterRecovery.Ready : AfterRecovery.Resync;
    }

    /// <summary>
    /// Whether the journal ends, at <paramref name="highestSequenceNr"/>, with this epoch's clean stop. Without it the
    /// journal may lack events whose dots peers hold: the process died between a write and its answer, a copy taken
    /// while it ran was put back, a file was replaced, the disk lost its tail. A clean stop in an older copy of the
    /// journal does prove it complete as of then, and cannot be told apart from a current one; see the README.
    /// </summary>
    private bool StoppedCleanlyAt(long highestSequenceNr) =>
        _stoppedCleanly is var (sequenceNr, epoch) && sequenceNr == highestSequenceNr && epoch == ReplicaEpoch;

    /// <summary>
    /// The replica started without proof that its journal is complete: a new epoch, so it never issues a dot its earlier
    /// self may have issued. It keeps its keys, repair need and vote (nothing acknowledged is lost by a crash: every
    /// answer followed a durable event). Returns the marker to persist; dots issued from now on use the new epoch.
    /// </summary>
    public ReplicaEpochRenewed RenewEpoch() => Marker(new ReplicaEpochRenewed(_newEpoch()));

    /// <summary>The replica stops in order: the marker to persist last, which proves at the next start that the journal
    /// is complete. Nothing may be persisted after it.</summary>
    public ReplicaStoppedCleanly StopCleanly() => new(ReplicaEpoch);

    /// <summary>
    /// No history: this replica never issued a dot, or lost every trace of those it issued. A fresh random identity keeps
    /// it apart from every other replica, and from whatever stood here before. Returns the marker to persist.
    /// </summary>
    public ReplicaEpochStarted StartEpoch() => Marker(new ReplicaEpochStarted(_newEpoch()));

    /// <summary>
    /// Part of the history is gone (<paramref name="lost"/> says how), so this replica may once have issued dots it no
    /// longer knows of: a new identity makes sure it never issues one again. What was readable is kept; peers bring back
    /// the rest. Returns the marker to persist; held reads are then answered without a vote.
    /// </summary>
    public ReplicaHistoryLost LoseHistory(string lost) => Marker(new ReplicaHistoryLost(_newEpoch(), $"history lost: {lost}"));

    /// <summary>A resync with the peers completed: the marker that ends the need for repair, or null when there was none.
    /// Voting again before the marker is durable is safe: every key the resync merged is durable already.</summary>
    public ReplicaResynced? ResyncCompleted() => _standing.Repair is null ? null : Marker(new ReplicaResynced(ReplicaEpoch));

    /// <summary>A peer said that no other epoch stood at this address before (or there are no peers to ask).</summary>
    public void PeersChecked() => _peersChecked = true;

    /// <summary>A standing marker handed to the journal: the replica acts on it from now on.</summary>
    public T Marker<T>(T marker) where T : notnull
    {
        _standing = _standing.Apply(marker);
        return marker;
    }

    /// <summary>The epochs this replica issued dots under before its current one.</summary>
    public IReadOnlySet<long> RetiredEpochs => _standing.RetiredEpochs;

    /// <summary>The journal confirmed <paramref name="marker"/>: a snapshot may hold it now, and the journal no longer
    /// ends with a clean stop.</summary>
    public void MarkerConfirmed(object marker)
    {
        _durableStanding = _durableStanding.Apply(marker);
        _endsWithCleanStopOf = 0;
    }

    /// <summary>
    /// A peer replica asks for this one's state. A replica that starts without history where another epoch stood is told
    /// so, every time it asks, until it comes back as the repairing replica it then is; only that epoch, or a first
    /// one, is remembered (persist a marker for it when <see cref="PeerCheck.RememberPeer"/>).
    /// </summary>
    public PeerCheck CheckPeer(TPeer requester, long requesterEpoch, bool requesterFresh)
    {
        var known = _standing.PeerEpochs.GetValueOrDefault(requester);
        if (known != 0 && known != requesterEpoch && requesterFresh) return new(known, RememberPeer: false);
        return new(0, RememberPeer: known != requesterEpoch);
    }
}
