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

    private readonly ReplicaOptions _options;
    private readonly ReplicaKeys _keys = new();
    // Who waits for each in-flight event, in journal order, so a storage failure is answered instead of dropped.
    private readonly LinkedList<(IActorRef ReplyTo, long RequestId)> _waiting = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private readonly HistoryCheck _history = new();
    private long _replicaId;
    private long _eventsSinceSnapshot;
    private bool _snapshotting;
    // Set while the replica may lack writes it once acknowledged (its history was lost): it then does not vote in read
    // quorums, and a resync with every peer replica clears it.
    private string? _repairReason;
    private IActorRef? _resync;

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
        if (message is RecoveryCompleted)
        {
            RecoveryCompleted();
            return;
        }
        try
        {
            Replay(message);
        }
        catch (Exception e)
        {
            // Damaged data that deserialized into something unusable: the history is not whole.
            _history.Lose($"entry {LastSequenceNr} could not be applied: {e.GetType().Name}: {e.Message}");
        }
    }

    private void Replay(object message)
    {
        if (message is SnapshotOffer offer)
        {
            _history.Snapshot(offer.Metadata.SequenceNr);
            if (offer.Snapshot is ReplicaSnapshot s)
            {
                _replicaId = s.ReplicaId;
                _repairReason = s.RepairReason;
                _keys.Clear();
                foreach (var (key, state) in s.Keys) _keys.Restore(key, state);
            }
            else _history.Lose($"the snapshot at event {offer.Metadata.SequenceNr} is unreadable: {Describe(offer.Snapshot)}");
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
                break;
            case ReplicaHistoryLost e:
                _replicaId = e.ReplicaId;
                _repairReason = e.Reason;
                _history.Answered();
                break;
            case ReplicaResynced:
                _repairReason = null;
                break;
            default:
                _history.Lose($"journal event {LastSequenceNr} is unreadable: {Describe(message)}");
                break;
        }
    }

    private static string Describe(object entry) => entry is UnreadableEntry u ? u.Error : $"unexpected {entry.GetType().Name}";

    private void RecoveryCompleted()
    {
        Context.Parent.Tell(new Recovered(_options.Partition));
        _history.Completed(LastSequenceNr);
        if (_history.Lost is { } lost) StartOver(lost);
        else if (_replicaId == 0) StartEpoch();
        if (_repairReason is not null) StartResync();
    }

    private void StartEpoch()
    {
        // No history: this replica never issued a dot. A fresh random identity keeps it apart from every other replica.
        _replicaId = NewReplicaId();
        _log.Info("Replica of partition {0} starts empty as epoch {1:x16}", _options.Partition, _replicaId);
        PersistMarker(new ReplicaEpochStarted(_replicaId));
    }

    private void StartOver(string lost)
    {
        // Part of the history is gone, so this replica may once have issued dots it no longer knows of: a new identity
        // makes sure it never issues one again. What was readable is kept; peers bring back the rest.
        var previous = _replicaId;
        _replicaId = NewReplicaId();
        _repairReason = $"history lost: {lost}";
        _log.Error("Replica of partition {0} lost part of its history ({1}); it keeps the {2} keys it could read, continues as epoch " +
                   "{3:x16} (was {4:x16}), and does not vote in read quorums until a resync with its peers repaired it",
            _options.Partition, lost, _keys.DurableSnapshot().Length, _replicaId, previous);
        PersistMarker(new ReplicaHistoryLost(_replicaId, _repairReason));
    }

    private void PersistMarker(object marker)
    {
        _waiting.AddLast((ActorRefs.Nobody, 0));
        PersistAsync(marker, _ => _waiting.RemoveFirst());
    }

    private void StartResync()
    {
        if (_resync is not null) return;
        _resync = Context.ActorOf(PartitionResync.Props(_options), "resync");
        Context.Watch(_resync);
    }

    private void Resynced()
    {
        _log.Info("Replica of partition {0} is repaired: a resync with every peer replica completed", _options.Partition);
        PersistMarker(new ReplicaResynced(_replicaId));
        // Voting again only once the marker is durable would be stricter than needed: every key it merged is durable.
        _repairReason = null;
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case ReadKey r:
                Sender.Tell(new KeyRead(r.RequestId, _options.Node, _keys.Durable(r.Key), Votes: _repairReason is null));
                break;
            case CoordinateWrite w:
                Coordinate(w);
                break;
            case StoreKey s:
                Store(s);
                break;
            case InspectKey i:
                Sender.Tell(new KeyInspected(i.RequestId, _options.Node, _options.Partition, _replicaId, _keys.Durable(i.Key), _repairReason));
                break;
            case StreamPartition s:
                Context.ActorOf(PartitionStreamer.Props(s, _options.Node, _keys.DurableSnapshot(), Sender, _options.Repair.IdleTimeout));
                break;
            case PartitionResync.Completed when Sender.Equals(_resync):
                Context.Unwatch(_resync);
                _resync = null;
                if (_repairReason is not null) Resynced();
                break;
            case Terminated t when t.ActorRef.Equals(_resync):
                // The resync could not reach or hear from every peer: try again later, still without a vote meanwhile.
                _resync = null;
                Timers.StartSingleTimer(RetryResync.Instance, RetryResync.Instance, _options.Repair.RetryInterval);
                break;
            case RetryResync when _repairReason is not null:
                StartResync();
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
        SaveSnapshot(new ReplicaSnapshot(_replicaId, _keys.DurableSnapshot(), _repairReason));
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

/// <summary>What a replica needs to know about its partition, node and storage.</summary>
internal sealed record ReplicaOptions(
    int Partition, Address Node, string JournalPluginId, string SnapshotPluginId, int SnapshotEvery, Topology Topology, RepairSettings Repair);
