using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Replication;

/// <summary>
/// The replica of one partition on this node: the partition's keys with their versioned states, kept in the node's own
/// journal. Every change is an event persisted before it is acknowledged. Events are persisted with PersistAsync so the
/// journal batches them; answers are built from journal-confirmed state only (see <see cref="ReplicaKeys"/>). Every
/// <c>snapshot-every</c> events the confirmed state is snapshotted and the journal behind it deleted, so disk use and
/// recovery time follow the live data rather than the write history.
/// </summary>
internal sealed class Replica : UntypedPersistentActor, IWithTimers
{
    /// <summary>Sent to the parent once recovery is over, so it stops counting commands held meanwhile.</summary>
    public sealed record Recovered(int Partition);

    private sealed record RetryResync
    {
        public static readonly RetryResync Instance = new();
    }

    private sealed record StopHoldingReads
    {
        public static readonly StopHoldingReads Instance = new();
    }

    private readonly ReplicaOptions _options;
    private readonly ReplicaKeys _keys = new();
    // Who waits for each in-flight event, in journal order, so a storage failure is answered instead of dropped.
    private readonly LinkedList<(IActorRef ReplyTo, long RequestId)> _waiting = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HistoryCheck _history = new();
    private long _replicaId;
    private long _eventsSinceSnapshot;
    private bool _snapshotting;
    // Set while the replica may lack writes it should hold (it lost its history, or started without one) and syncs with
    // its peers; while it lost history it does not vote in read quorums (see RepairNeed.Votes).
    private RepairNeed? _repair;
    private IActorRef? _resync;
    // Reads that came while a resync runs are held for a moment, since a resync with peers that hold little is quick:
    // answered with a vote if it completes meanwhile, without one when the moment is over.
    private readonly List<(IActorRef ReplyTo, ReadKey Read)> _heldReads = [];
    private bool _holdingReads;
    // The epochs of the peer replicas that synced with this one, by node: a replica that starts without history where a
    // peer knew another epoch stands where one lost its storage.
    private readonly Dictionary<Address, long> _peerEpochs = [];

    public Replica(ReplicaOptions options)
    {
        _options = options;
        JournalPluginId = options.JournalPluginId;
        SnapshotPluginId = options.SnapshotPluginId;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaOptions options) => Akka.Actor.Props.Create(() => new Replica(options));

    public override string PersistenceId => $"leaderless-replica-{_options.Partition}";

    protected override void OnRecover(object message)
    {
        // An exception here is a bug, not damage (damage reads back as UnreadableEntry): recovery fails and is retried.
        if (message is RecoveryCompleted) RecoveryCompleted();
        else Replay(message);
    }

    private void Replay(object message)
    {
        if (message is SnapshotOffer offer)
        {
            _history.Snapshot(offer.Metadata.SequenceNr);
            if (offer.Snapshot is PartitionSnapshot s) Restore(s.ReplicaId, s.Keys, s.Repair, s.PeerEpochs);
            else if (offer.Snapshot is ReplicaSnapshot legacy) Restore(legacy.ReplicaId, legacy.Keys, repair: null, peerEpochs: []);
            else if (offer.Snapshot is UnreadableEntry u) _history.Lose($"the snapshot at event {offer.Metadata.SequenceNr} is unreadable: {u.Error}");
            else throw new InvalidOperationException($"the snapshot is an unexpected {offer.Snapshot.GetType().Name}");
            return;
        }
        _history.Event(LastSequenceNr);
        switch (message)
        {
            case KeyUpdated e:
                _keys.Restore(e.Key, e.State);
                _eventsSinceSnapshot++;
                break;
            case ReplicaEpochStarted e:
                _replicaId = e.ReplicaId;
                _repair = RepairNeed.Fresh;
                break;
            case ReplicaHistoryLost e:
                _replicaId = e.ReplicaId;
                _repair = new RepairNeed(e.Reason, FromEveryPeer: true);
                _history.Answered();
                break;
            case ReplicaResynced e when e.ReplicaId == _replicaId:
                _repair = null;
                break;
            case PeerReplicaSeen e:
                _peerEpochs[e.Node] = e.ReplicaId;
                break;
            case UnreadableEntry u:
                _history.Lose($"journal event {LastSequenceNr} is unreadable: {u.Error}");
                break;
            default:
                throw new InvalidOperationException($"journal event {LastSequenceNr} is an unexpected {message.GetType().Name}");
        }
    }

    private void Restore(long replicaId, KeyValuePair<string, Versioning.SiblingSet>[] keys, RepairNeed? repair,
        KeyValuePair<Address, long>[] peerEpochs)
    {
        _replicaId = replicaId;
        _repair = repair;
        _keys.Clear();
        foreach (var (key, state) in keys) _keys.Restore(key, state);
        _peerEpochs.Clear();
        foreach (var (node, epoch) in peerEpochs) _peerEpochs[node] = epoch;
    }

    private void RecoveryCompleted()
    {
        Context.Parent.Tell(new Recovered(_options.Partition));
        _history.Completed(LastSequenceNr);
        if (_history.Lost is { } lost) StartOver(lost);
        else if (_replicaId == 0) StartEpoch();
        if (_repair is null) return;
        if (_repair.Votes)
        {
            // Give the sync a moment to learn from the peers whether this replica stands where one lost its storage.
            _holdingReads = true;
            Timers.StartSingleTimer(StopHoldingReads.Instance, StopHoldingReads.Instance, _options.Repair.ReadHold);
        }
        StartResync();
    }

    private void StartEpoch()
    {
        // No history: this replica never issued a dot, or lost every trace of those it issued. A fresh random identity
        // keeps it apart from every other replica, and from whatever stood here before.
        _replicaId = NewReplicaId();
        _repair = RepairNeed.Fresh;
        _log.Info("Replica of partition {0} starts empty as epoch {1:x16}", _options.Partition, _replicaId);
        PersistMarker(new ReplicaEpochStarted(_replicaId));
    }

    private void StartOver(string lost)
    {
        // Part of the history is gone, so this replica may once have issued dots it no longer knows of: a new identity
        // makes sure it never issues one again. What was readable is kept; peers bring back the rest.
        var previous = _replicaId;
        _replicaId = NewReplicaId();
        _repair = new RepairNeed($"history lost: {lost}", FromEveryPeer: true);
        _log.Error("Replica of partition {0} lost part of its history ({1}); it keeps the {2} keys it holds, continues as epoch " +
                   "{3:x16} (was {4:x16}), and does not vote in read quorums until a resync with every peer repaired it",
            _options.Partition, lost, _keys.DurableCount, _replicaId, previous);
        // Snapshot once the marker is durable: the journal behind it, damaged entries included, is then never replayed
        // again, so damage found there later cannot pass for the damage this marker already answers.
        PersistMarker(new ReplicaHistoryLost(_replicaId, _repair.Reason), then: () =>
        {
            if (!_snapshotting) Snapshot();
        });
    }

    private void PersistMarker(object marker, Action? then = null)
    {
        _waiting.AddLast((ActorRefs.Nobody, 0));
        PersistAsync(marker, _ =>
        {
            _waiting.RemoveFirst();
            then?.Invoke();
        });
    }

    private void StartResync()
    {
        if (_resync is not null) return;
        _resync = Context.ActorOf(PartitionResync.Props(_options, _repair!.FromEveryPeer, _replicaId));
        Context.Watch(_resync);
    }

    private void StopResync()
    {
        if (_resync is null) return;
        Context.Unwatch(_resync);
        Context.Stop(_resync);
        _resync = null;
    }

    private void Resynced()
    {
        if (_repair!.FromEveryPeer) _log.Info("Replica of partition {0} is repaired: a resync with every peer completed", _options.Partition);
        PersistMarker(new ReplicaResynced(_replicaId));
        // Voting again only once the marker is durable would be stricter than needed: every key it merged is durable.
        _repair = null;
        AnswerHeldReads();
    }

    private void Read(ReadKey read)
    {
        if (_holdingReads && _heldReads.Count < _options.HoldLimit) _heldReads.Add((Sender, read));
        else Answer(Sender, read);
    }

    private void Answer(IActorRef replyTo, ReadKey read) =>
        replyTo.Tell(new KeyRead(read.RequestId, _options.Node, _keys.Durable(read.Key), NeedsRepair: _repair is { Votes: false }));

    private void AnswerHeldReads()
    {
        _holdingReads = false;
        foreach (var (replyTo, read) in _heldReads) Answer(replyTo, read);
        _heldReads.Clear();
    }

    private void StreamTo(StreamPartition request)
    {
        var known = _peerEpochs.GetValueOrDefault(request.Requester);
        if (known != request.RequesterEpoch)
        {
            _peerEpochs[request.Requester] = request.RequesterEpoch;
            PersistMarker(new PeerReplicaSeen(request.Requester, request.RequesterEpoch));
        }
        var earlier = known != request.RequesterEpoch ? known : 0;
        Context.ActorOf(PartitionStreamer.Props(request, _options.Node, _keys.DurableSnapshot(), Sender, _options.Repair, earlier));
    }

    private void Replaced(PartitionResync.Replaced replaced)
    {
        StopResync();
        StartOver($"it started without history where {replaced.Peer} knew epoch {replaced.EarlierEpoch:x16}: this node's storage of the partition was lost");
        AnswerHeldReads(); // now without a vote
        StartResync();
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case ReadKey r:
                Read(r);
                break;
            case CoordinateWrite w:
                Coordinate(w);
                break;
            case StoreKey s:
                Store(s);
                break;
            case InspectKey i:
                Sender.Tell(new KeyInspected(i.RequestId, _options.Node, _options.Partition, _replicaId, _keys.Durable(i.Key), _repair?.Reason));
                break;
            case StreamPartition s:
                StreamTo(s);
                break;
            case PartitionResync.Replaced r when Sender.Equals(_resync) && _repair is { Votes: true }:
                Replaced(r);
                break;
            case PartitionResync.Completed when Sender.Equals(_resync):
                StopResync();
                if (_repair is not null) Resynced();
                break;
            case StopHoldingReads:
                AnswerHeldReads();
                break;
            case Terminated t when t.ActorRef.Equals(_resync):
                // The resync could not reach or hear from every peer: try again later, still without a vote meanwhile.
                _resync = null;
                Timers.StartSingleTimer(RetryResync.Instance, RetryResync.Instance, _options.Repair.RetryInterval);
                break;
            case RetryResync:
                if (_repair is not null) StartResync();
                break;
            case SaveSnapshotSuccess success:
                _snapshotting = false;
                // The snapshot covers everything up to its sequence number: drop what it replaces.
                DeleteMessages(success.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failure:
                _snapshotting = false;
                _log.Warning("Snapshot of partition {0} failed; the journal is kept and the next snapshot retries: {1}",
                    _options.Partition, failure.Cause.Message);
                break;
            case DeleteMessagesFailure failure:
                _log.Warning("Deleting journal events of partition {0} behind a snapshot failed: {1}", _options.Partition, failure.Cause.Message);
                break;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Coordinate(CoordinateWrite w)
    {
        var updated = _keys.Newest(w.Key).Update(w.Context, w.Value, _replicaId);
        if (updated.Siblings.Count > w.MaxSiblings)
        {
            Sender.Tell(new ReplicaFailed(w.RequestId, _options.Node, ReplicaFailure.SiblingLimit,
                $"the write would leave {updated.Siblings.Count} siblings"));
            return;
        }
        PersistKey(w.Key, updated, Sender, w.RequestId, issued: new Versioning.Dot(_replicaId, updated.Clock.Get(_replicaId)));
    }

    private void Store(StoreKey s)
    {
        var newest = _keys.Newest(s.Key);
        if (s.State.Clock.Get(_replicaId) > newest.Clock.Get(_replicaId))
        {
            // Only this replica issues dots under its identity, so a peer knowing one it does not hold means part of its
            // history is gone (events lost from the journal's end, a database restored from a backup).
            StopResync(); // a sync with the reachable peers is not enough any more
            StartOver($"a peer holds version {_replicaId:x16}:{s.State.Clock.Get(_replicaId)} of '{s.Key}', which this replica issued and no longer has");
            AnswerHeldReads();
            StartResync();
        }
        var merged = newest.Merge(s.State);
        if (!merged.Equals(newest))
        {
            PersistKey(s.Key, merged, Sender, s.RequestId, issued: null);
            return;
        }
        // Nothing new, but what we hold may still be in flight: acknowledge once it is durable.
        var ack = new KeyStored(s.RequestId, _options.Node);
        var replyTo = Sender;
        if (_keys.HasInFlight(s.Key)) DeferAsync(ack, a => replyTo.Tell(a));
        else replyTo.Tell(ack);
    }

    private void PersistKey(string key, Versioning.SiblingSet state, IActorRef replyTo, long requestId, Versioning.Dot? issued)
    {
        _keys.Persisting(key, state);
        var waiter = _waiting.AddLast((replyTo, requestId));
        PersistAsync(new KeyUpdated(key, state), e =>
        {
            _waiting.Remove(waiter);
            _keys.Confirmed(e.Key, e.State);
            replyTo.Tell(issued is { } dot
                ? new WriteCoordinated(requestId, _options.Node, e.State, dot)
                : new KeyStored(requestId, _options.Node));
            if (++_eventsSinceSnapshot >= _options.SnapshotEvery && !_snapshotting) Snapshot();
        });
    }

    private void Snapshot()
    {
        // Inside a persist handler the confirmed state is exactly the events up to LastSequenceNr.
        _snapshotting = true;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(new PartitionSnapshot(_replicaId, _keys.DurableSnapshot(), _repair, _peerEpochs.ToArray()));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The actor stops after this: answer everyone still waiting so no coordinator mistakes silence for progress.
        FailAllWaiting($"journal write failed: {cause.Message}");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        FailAllWaiting($"journal rejected the event: {cause.Message}");
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self); // later events were built on the rejected one: start over from the journal
    }

    private void FailAllWaiting(string reason)
    {
        foreach (var (replyTo, requestId) in _waiting)
            if (!replyTo.IsNobody()) replyTo.Tell(new ReplicaFailed(requestId, _options.Node, ReplicaFailure.StorageFailed, reason));
        _waiting.Clear();
        _keys.DropInFlight();
    }

    private static long NewReplicaId()
    {
        long id;
        do id = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)); while (id == 0);
        return id;
    }
}

/// <summary>
/// What a replica needs to know about its partition, node and storage; <c>HoldLimit</c> bounds the reads it holds while
/// it syncs with its peers (storage.recovery-backlog-limit).
/// </summary>
internal sealed record ReplicaOptions(int Partition, Address Node, string JournalPluginId, string SnapshotPluginId, int SnapshotEvery,
    int HoldLimit, Topology Topology, RepairSettings Repair);
