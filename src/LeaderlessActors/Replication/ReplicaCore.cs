using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// The replica of one partition as pure state and decisions, without messaging, persistence or timers (the
/// <see cref="Replica"/> actor does those): recovery from its journal, client writes (<see cref="CoordinateWrite"/>),
/// merges of peers' states (<see cref="MergePeerState"/>, which also detects lost history), its epoch and voting
/// standing, which reads to hold, what to persist and whom to answer. <typeparamref name="TPeer"/> identifies a node and
/// <typeparamref name="TReplyTo"/> whoever waits for an answer, so the core holds no actor type and property tests drive
/// it directly.
/// </summary>
internal sealed class ReplicaCore<TPeer, TReplyTo> where TPeer : notnull
{
    private readonly int _holdLimit;
    private readonly int _snapshotEvery;
    private readonly Func<long> _newReplicaId;
    private readonly ReplicaKeys _keys = new();
    private readonly HistoryCheck _history = new();
    // Who waits for each in-flight event or deferred acknowledgement, so a storage failure is answered, not dropped.
    private readonly LinkedList<Reply<TReplyTo>> _waiting = new();
    private readonly List<(Reply<TReplyTo> Reply, string Key)> _heldReads = [];
    // The standing the replica acts on (it runs ahead of the journal), and the one the journal has confirmed, which is
    // what a snapshot may hold.
    private ReplicaStanding<TPeer> _standing = ReplicaStanding<TPeer>.None;
    private ReplicaStanding<TPeer> _durableStanding = ReplicaStanding<TPeer>.None;
    // A replica that started without history votes once a peer said it knew no other epoch at this address.
    private bool _peersChecked;
    private long _eventsSinceSnapshot;

    /// <param name="holdLimit">How many reads it holds at most while it waits for its peers' word.</param>
    /// <param name="snapshotEvery">After how many key events a snapshot is due.</param>
    /// <param name="newReplicaId">A fresh, non-zero, random epoch each call.</param>
    public ReplicaCore(int holdLimit, int snapshotEvery, Func<long> newReplicaId)
    {
        _holdLimit = holdLimit;
        _snapshotEvery = snapshotEvery;
        _newReplicaId = newReplicaId;
    }

    /// <summary>The epoch: the replica id of the dots this replica issues (0 before its first).</summary>
    public long ReplicaId => _standing.ReplicaId;

    /// <summary>Why and from whom the replica needs repair, or null when it needs none.</summary>
    public RepairNeed? Repair => _standing.Repair;

    /// <summary>
    /// Whether its reads count toward read quorums. A replica that lost history never votes before its repair (a resync
    /// with every peer); one that started without history votes once its peers confirmed that no other replica stood
    /// here before it.
    /// </summary>
    public bool Votes => _standing.Repair is null || (!_standing.Repair.FromEveryPeer && _peersChecked);

    /// <summary>Why the replayed history is not whole (see <see cref="AfterRecovery.StartOver"/>), or null.</summary>
    public string? LostHistory => _history.Lost;

    public int DurableKeyCount => _keys.DurableCount;

    public int HeldReadCount => _heldReads.Count;

    /// <summary>Whether a snapshot is in progress; <see cref="StartSnapshot"/> and <see cref="SnapshotEnded"/> say.</summary>
    public bool Snapshotting { get; private set; }

    /// <summary>Enough key events since the last snapshot, and none in progress.</summary>
    public bool SnapshotDue => _eventsSinceSnapshot >= _snapshotEvery && !Snapshotting;

    /// <summary>The journal-confirmed state of <paramref name="key"/>: all that reads and inspections may see.</summary>
    public SiblingSet Durable(string key) => _keys.Durable(key);

    public KeyValuePair<string, SiblingSet>[] DurableSnapshot() => _keys.DurableSnapshot();

    /// <summary>Recovery offered a snapshot taken at <paramref name="sequenceNr"/>.</summary>
    public void RecoverSnapshot(long sequenceNr, ReplicaStanding<TPeer> standing, KeyValuePair<string, SiblingSet>[] keys)
    {
        _history.Snapshot(sequenceNr);
        _standing = _durableStanding = standing;
        _keys.Clear();
        foreach (var (key, state) in keys) _keys.Restore(key, state);
    }

    public void RecoverUnreadableSnapshot(long sequenceNr, string error)
    {
        _history.Snapshot(sequenceNr);
        _history.Lose($"the snapshot at event {sequenceNr} is unreadable: {error}");
    }

    /// <summary>Replays journal event <paramref name="sequenceNr"/>; false for an entry no replica writes (a bug).</summary>
    public bool Replay(long sequenceNr, object entry)
    {
        _history.Event(sequenceNr);
        switch (entry)
        {
            case KeyUpdated e:
                _keys.Restore(e.Key, e.State);
                _eventsSinceSnapshot++;
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
        if (_history.Lost is not null) return AfterRecovery.StartOver;
        if (ReplicaId == 0) return AfterRecovery.StartEpoch;
        return _standing.Repair is null ? AfterRecovery.Ready : AfterRecovery.Resync;
    }

    /// <summary>
    /// No history: this replica never issued a dot, or lost every trace of those it issued. A fresh random identity keeps
    /// it apart from every other replica, and from whatever stood here before. Returns the marker to persist.
    /// </summary>
    public ReplicaEpochStarted StartEpoch() => Marker(new ReplicaEpochStarted(_newReplicaId()));

    /// <summary>
    /// Part of the history is gone (<paramref name="lost"/> says how), so this replica may once have issued dots it no
    /// longer knows of: a new identity makes sure it never issues one again. What was readable is kept; peers bring back
    /// the rest. Returns the marker to persist; held reads are then answered without a vote.
    /// </summary>
    public ReplicaHistoryLost LoseHistory(string lost) => Marker(new ReplicaHistoryLost(_newReplicaId(), $"history lost: {lost}"));

    /// <summary>A resync with the peers completed: the marker that ends the need for repair, or null when there was none.
    /// Voting again before the marker is durable is safe: every key the resync merged is durable already.</summary>
    public ReplicaResynced? ResyncCompleted() => _standing.Repair is null ? null : Marker(new ReplicaResynced(ReplicaId));

    /// <summary>A peer said that no other epoch stood at this address before (or there are no peers to ask).</summary>
    public void PeersChecked() => _peersChecked = true;

    /// <summary>A standing marker handed to the journal: the replica acts on it from now on.</summary>
    public T Marker<T>(T marker) where T : notnull
    {
        _standing = _standing.Apply(marker);
        return marker;
    }

    /// <summary>The journal confirmed <paramref name="marker"/>: a snapshot may hold it now.</summary>
    public void MarkerConfirmed(object marker) => _durableStanding = _durableStanding.Apply(marker);

    /// <summary>
    /// A client write of <paramref name="value"/> (null: a tombstone) under <paramref name="context"/>. The new version
    /// is built on the newest state, journal-confirmed or not, so two writes in flight never issue the same dot.
    /// </summary>
    public WriteDecision<TReplyTo> CoordinateWrite(TReplyTo replyTo, long requestId, string key, VersionVector context,
        byte[]? value, int maxSiblings)
    {
        var updated = _keys.Newest(key).Update(context, value, ReplicaId);
        if (updated.Siblings.Count > maxSiblings) return new(null, updated.Siblings.Count);
        var issued = new Dot(ReplicaId, updated.Clock.Get(ReplicaId));
        return new(Persisting(key, updated, new Reply<TReplyTo>(replyTo, requestId), issued), updated.Siblings.Count);
    }

    /// <summary>Merges a peer's <paramref name="state"/> of <paramref name="key"/> (write replication, repair, resync).</summary>
    public MergeDecision<TReplyTo> MergePeerState(TReplyTo replyTo, long requestId, string key, SiblingSet state)
    {
        var reply = new Reply<TReplyTo>(replyTo, requestId);
        var newest = _keys.Newest(key);
        var lost = UnknownOwnVersion(newest, state);
        var merged = newest.Merge(state);
        if (!merged.Equals(newest)) return new(lost, Persisting(key, merged, reply, issued: null), null);
        // Nothing new, but what we hold may still be in flight: acknowledge once it is durable (or fail if the journal
        // fails first).
        return new(lost, null, _keys.HasInFlight(key) ? _waiting.AddLast(reply) : null);
    }

    /// <summary>
    /// A version in <paramref name="incoming"/> that this replica created but <paramref name="held"/> does not know of.
    /// Only this replica creates versions with its identity (clocks may carry its counters from other keys, through
    /// client contexts, but siblings may not), so such a version means part of its history is gone: events lost from
    /// the journal's end, a database restored from a backup.
    /// </summary>
    private Dot? UnknownOwnVersion(SiblingSet held, SiblingSet incoming)
    {
        var known = held.Clock.Get(ReplicaId);
        foreach (var sibling in incoming.Siblings)
            if (sibling.Dot.Replica == ReplicaId && sibling.Dot.Counter > known) return sibling.Dot;
        return null;
    }

    private PendingKey<TReplyTo> Persisting(string key, SiblingSet state, Reply<TReplyTo> reply, Dot? issued)
    {
        _keys.Persisting(key, state);
        return new PendingKey<TReplyTo>(new KeyUpdated(key, state), issued, _waiting.AddLast(reply));
    }

    /// <summary>The journal confirmed <paramref name="pending"/>: what to answer (then see <see cref="SnapshotDue"/>).</summary>
    public KeyAnswer<TReplyTo> KeyConfirmed(PendingKey<TReplyTo> pending)
    {
        _waiting.Remove(pending.Waiter);
        _keys.Confirmed(pending.Event.Key, pending.Event.State);
        _eventsSinceSnapshot++;
        return new(pending.Waiter.Value, pending.Event.State, pending.Issued);
    }

    /// <summary>A deferred acknowledgement (<see cref="MergeDecision{TReplyTo}.WhenDurable"/>) is due: returns whom to
    /// acknowledge.</summary>
    public Reply<TReplyTo> Acknowledged(LinkedListNode<Reply<TReplyTo>> waiter)
    {
        _waiting.Remove(waiter);
        return waiter.Value;
    }

    /// <summary>
    /// A read of <paramref name="key"/>: its answer, or null when the read is held. Its peers usually answer a replica
    /// that started without history at once, so a read waits for them a moment (see <see cref="ReleaseHeldReads"/>)
    /// rather than find the replica without a vote. One that lost history waits for a whole resync: no holding.
    /// </summary>
    public ReadAnswer<TReplyTo>? Read(TReplyTo replyTo, long requestId, string key)
    {
        var reply = new Reply<TReplyTo>(replyTo, requestId);
        if (Votes || _standing.Repair is not { FromEveryPeer: false } || _heldReads.Count >= _holdLimit) return Answer(reply, key);
        _heldReads.Add((reply, key));
        return null;
    }

    /// <summary>Answers every held read as the replica stands now, with or without a vote.</summary>
    public IReadOnlyList<ReadAnswer<TReplyTo>> ReleaseHeldReads()
    {
        var answers = _heldReads.Select(h => Answer(h.Reply, h.Key)).ToArray();
        _heldReads.Clear();
        return answers;
    }

    private ReadAnswer<TReplyTo> Answer(Reply<TReplyTo> reply, string key) => new(reply, _keys.Durable(key), NeedsRepair: !Votes);

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

    /// <summary>A snapshot starts: what it holds (the journal-confirmed standing and keys).</summary>
    public (ReplicaStanding<TPeer> Standing, KeyValuePair<string, SiblingSet>[] Keys) StartSnapshot()
    {
        Snapshotting = true;
        _eventsSinceSnapshot = 0;
        return (_durableStanding, _keys.DurableSnapshot());
    }

    public void SnapshotEnded() => Snapshotting = false;

    /// <summary>The journal failed: everyone waiting, held reads included, is to be told; unconfirmed state is dropped
    /// (the actor restarts from the journal anyway).</summary>
    public IReadOnlyList<Reply<TReplyTo>> FailAll()
    {
        var failed = _waiting.Concat(_heldReads.Select(h => h.Reply)).ToArray();
        _waiting.Clear();
        _keys.DropInFlight();
        _heldReads.Clear();
        return failed;
    }
}
