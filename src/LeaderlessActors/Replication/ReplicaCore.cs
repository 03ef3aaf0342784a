using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// The replica of one partition as pure state and decisions, without messaging, persistence or timers (the
/// <see cref="Replica"/> actor does those): recovery from its journal, client writes (<see cref="T:LeaderlessActors.Replication.CoordinateWrite"/>),
/// merges of peers' states (<see cref="MergePeerState"/>, which also detects lost history), its epoch and voting
/// standing, which reads to hold, what to persist and whom to answer. <typeparamref name="TPeer"/> identifies a node and
/// <typeparamref name="TReplyTo"/> whoever waits for an answer, so the core holds no actor type and property tests drive
/// it directly.
/// </summary>
internal sealed partial class ReplicaCore<TPeer, TReplyTo> where TPeer : notnull
{
    private readonly int _holdLimit;
    private readonly int _snapshotEvery;
    private readonly Func<long> _newEpoch;
    private readonly ReplicaKeys _keys;
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
    // The last entry recovery replayed, when it was a clean stop: (its sequence number, the epoch that stopped).
    private (long SequenceNr, long Epoch)? _stoppedCleanly;
    // The epoch whose clean stop is still the journal's last durable entry (0 once anything durable followed it): a
    // restart now would keep that epoch, so a dot of it must not leave before its event is durable.
    private long _endsWithCleanStopOf;
    private long _eventsSinceSnapshot;

    /// <param name="holdLimit">How many reads it holds at most while it waits for its peers' word.</param>
    /// <param name="snapshotEvery">After how many key events a snapshot is due.</param>
    /// <param name="newEpoch">A fresh, non-zero, random epoch each call.</param>
    /// <param name="treeShape">The shape of the partition's Merkle tree (reference.conf's when null).</param>
    public ReplicaCore(int holdLimit, int snapshotEvery, Func<long> newEpoch, AntiEntropy.MerkleShape? treeShape = null)
    {
        _keys = new ReplicaKeys(treeShape ?? AntiEntropy.MerkleShape.Default);
        _holdLimit = holdLimit;
        _snapshotEvery = snapshotEvery;
        _newEpoch = newEpoch;
    }

    /// <summary>The epoch: the id this replica issues its dots under (0 before its first).</summary>
    public long ReplicaEpoch => _standing.ReplicaEpoch;

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

    /// <summary>How many keys the journal has confirmed.</summary>
    public int DurableKeyCount => _keys.DurableCount;

    /// <summary>How many reads wait for the peers' word.</summary>
    public int HeldReadCount => _heldReads.Count;

    /// <summary>Whether a snapshot is in progress; <see cref="StartSnapshot"/> and <see cref="SnapshotEnded"/> say.</summary>
    public bool Snapshotting { get; private set; }

    /// <summary>Enough key events since the last snapshot, and none in progress.</summary>
    public bool SnapshotDue => _eventsSinceSnapshot >= _snapshotEvery && !Snapshotting;

    /// <summary>The journal-confirmed state of <paramref name="key"/>: all that reads and inspections may see.</summary>
    public SiblingSet Durable(string key) => _keys.Durable(key);

    /// <summary>A copy of every journal-confirmed key state (what a peer syncing with this replica is sent).</summary>
    public KeyValuePair<string, SiblingSet>[] DurableSnapshot() => _keys.DurableSnapshot();

    /// <summary>
    /// A client write of <paramref name="value"/> (null: a tombstone) under <paramref name="context"/>. The new version
    /// is built on the newest state, journal-confirmed or not, so two writes in flight never issue the same dot.
    /// </summary>
    public WriteDecision<TReplyTo> CoordinateWrite(TReplyTo replyTo, long requestId, string key, VersionVector context,
        byte[]? value, int maxSiblings) =>
        CoordinateWrite(replyTo, requestId, key, context, value, new KeyLimits(maxSiblings, long.MaxValue, int.MaxValue));

    /// <summary>A client write held to <paramref name="limits"/> (see <see cref="KeyAdmission"/>); a retry of a value
    /// the replica already holds unseen issues no new version (see <see cref="SiblingSet.Write"/>). With
    /// <paramref name="early"/> the new state may be told before it is durable (<see cref="PendingKey{TReplyTo}.TellEarly"/>)
    /// when <see cref="MayTellIssuedEarly"/>.</summary>
    public WriteDecision<TReplyTo> CoordinateWrite(TReplyTo replyTo, long requestId, string key, VersionVector context,
        byte[]? value, KeyLimits limits, bool early = false)
    {
        if (KeyAdmission.Coordinate(key, _keys.Newest(key), PastCollected(key, context), value, ReplicaEpoch, limits, out var updated, out var issued) is { } refused)
            return new(null, updated.Siblings.Count, refused);
        var pending = Persisting(key, updated, new Reply<TReplyTo>(replyTo, requestId), issued, early && MayTellIssuedEarly);
        Told(pending);
        return new(pending, updated.Siblings.Count);
    }

    /// <summary>
    /// Whether a dot issued now may leave the replica before its event is durable. Only when the journal, as durable now,
    /// does not end with a clean stop of the current epoch: then, should the event never become durable (a crash, a
    /// journal failure or rejection, in this process or not), the next start finds no clean stop of this epoch at the
    /// journal's end and takes a new epoch, so the dot is never issued again. After a clean stop that is so once anything
    /// after it is durable.
    /// </summary>
    public bool MayTellIssuedEarly => ReplicaEpoch != 0 && _endsWithCleanStopOf != ReplicaEpoch;

    /// <summary>Merges a peer's <paramref name="state"/> of <paramref name="key"/> (write replication, repair, resync). A
    /// replicated client write comes with <paramref name="writeLimits"/> and may be refused; a repair never is.</summary>
    public MergeDecision<TReplyTo> MergePeerState(TReplyTo replyTo, long requestId, string key, SiblingSet state,
        KeyLimits? writeLimits = null)
    {
        var reply = new Reply<TReplyTo>(replyTo, requestId);
        var newest = _keys.Newest(key);
        var lost = UnknownOwnVersion(key, newest, state);
        var merged = newest.Merge(state);
        if (writeLimits is not null && KeyAdmission.Replicate(newest, merged, writeLimits) is { } refused)
            return new(lost, null, null, refused);
        if (!merged.Equals(newest)) return new(lost, Persisting(key, merged, reply, issued: null, tellEarly: false), null);
        // Nothing new, but what we hold may still be in flight: acknowledge once it is durable (or fail if the journal
        // fails first).
        return new(lost, null, _keys.HasInFlight(key) ? _waiting.AddLast(reply) : null);
    }

    /// <summary>
    /// A version in <paramref name="incoming"/> that this replica created, under its current or a retired epoch, but
    /// <paramref name="held"/> does not know of. Only this replica creates versions with its identities (clocks may carry
    /// its counters from other keys, through client contexts, but siblings may not), so such a version means part of its
    /// history is gone: events lost from the journal's end, a database restored from an older copy, or a write it told
    /// its coordinator before the event was durable (<see cref="MayTellIssuedEarly"/>) whose event never became durable
    /// (a crash, a journal failure). The last cannot be told from the others, so it is treated as lost history too: safe
    /// (a new epoch, a resync before voting), at the cost of a resync, unless a predecessor in this process said it lost
    /// that version so (see <see cref="LostAfterTelling"/>). (Its clocks never
    /// forget a counter of its own, retired epochs included.)
    /// </summary>
    private Dot? UnknownOwnVersion(string key, SiblingSet held, SiblingSet incoming)
    {
        foreach (var sibling in incoming.Siblings)
            if (_standing.IsOwnEpoch(sibling.Dot.Epoch) && sibling.Dot.Counter > OwnCounterBound(held, sibling.Dot.Epoch)
                && !IsLostAfterTelling(key, sibling.Dot))
                return sibling.Dot;
        return null;
    }

    private PendingKey<TReplyTo> Persisting(string key, SiblingSet state, Reply<TReplyTo> reply, Dot? issued, bool tellEarly)
    {
        _keys.Persisting(key, state);
        return new PendingKey<TReplyTo>(new KeyUpdated(key, state), issued, _waiting.AddLast(reply), tellEarly);
    }

    /// <summary>The journal confirmed <paramref name="pending"/>: what to answer (then see <see cref="SnapshotDue"/>). A
    /// write told early is answered as a plain acknowledgement: its state and dot went out already.</summary>
    public KeyAnswer<TReplyTo> KeyConfirmed(PendingKey<TReplyTo> pending)
    {
        _waiting.Remove(pending.Waiter);
        _keys.Confirmed(pending.Event.Key, pending.Event.State);
        _eventsSinceSnapshot++;
        _endsWithCleanStopOf = 0;
        ToldConfirmed(pending);
        return new(pending.Waiter.Value, pending.Event.State, pending.TellEarly ? null : pending.Issued);
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

    /// <summary>A snapshot starts: what it holds (the journal-confirmed standing and keys).</summary>
    public (ReplicaStanding<TPeer> Standing, KeyValuePair<string, SiblingSet>[] Keys) StartSnapshot()
    {
        Snapshotting = true;
        _eventsSinceSnapshot = 0;
        return (_durableStanding, _keys.DurableSnapshot());
    }

    /// <summary>The snapshot store answered, saved or failed: the next snapshot may start.</summary>
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
