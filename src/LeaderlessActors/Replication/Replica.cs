using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace LeaderlessActors.Replication;

/// <summary>
/// The replica of one partition on this node: the partition's keys with their versioned states, kept in the node's own
/// journal. Every change is an event persisted before it is acknowledged. Events are persisted with PersistAsync so the
/// journal batches them; answers are built from journal-confirmed state only (see <see cref="ReplicaKeys"/>). Every
/// <c>snapshot-every</c> events the confirmed state is snapshotted and the journal behind it deleted, so disk use and
/// recovery time follow the live data rather than the write history.
/// </summary>
internal sealed class Replica : UntypedPersistentActor
{
    /// <summary>Sent to the parent once recovery is over, so it stops counting commands held meanwhile.</summary>
    public sealed record Recovered(int Partition);

    private readonly ReplicaOptions _options;
    private readonly ReplicaKeys _keys = new();
    // Who waits for each in-flight event, in journal order, so a storage failure is answered instead of dropped.
    private readonly LinkedList<(IActorRef ReplyTo, long RequestId)> _waiting = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _replicaId;
    private long _eventsSinceSnapshot;
    private bool _snapshotting;

    public Replica(ReplicaOptions options)
    {
        _options = options;
        JournalPluginId = options.JournalPluginId;
        SnapshotPluginId = options.SnapshotPluginId;
    }

    public static Props Props(ReplicaOptions options) => Akka.Actor.Props.Create(() => new Replica(options));

    public override string PersistenceId => $"leaderless-replica-{_options.Partition}";

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case ReplicaEpochStarted e:
                _replicaId = e.ReplicaId;
                break;
            case KeyUpdated e:
                _keys.Restore(e.Key, e.State);
                _eventsSinceSnapshot++;
                break;
            case SnapshotOffer { Snapshot: ReplicaSnapshot s }:
                _replicaId = s.ReplicaId;
                _keys.Clear();
                foreach (var (key, state) in s.Keys) _keys.Restore(key, state);
                break;
            case RecoveryCompleted:
                Context.Parent.Tell(new Recovered(_options.Partition));
                if (_replicaId != 0) break;
                // No history: this replica never issued a dot, or lost what it issued. A fresh random identity makes
                // sure it can never issue a dot an earlier incarnation already used; peers' repair brings its data back.
                _replicaId = NewReplicaId();
                _log.Warning("Replica of partition {0} starts without data, as new epoch {1:x16}; it holds nothing until writes and repair reach it",
                    _options.Partition, _replicaId);
                _waiting.AddLast((ActorRefs.Nobody, 0));
                PersistAsync(new ReplicaEpochStarted(_replicaId), _ => _waiting.RemoveFirst());
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case ReadKey r:
                Sender.Tell(new KeyRead(r.RequestId, _options.Node, _keys.Durable(r.Key)));
                break;
            case CoordinateWrite w:
                Coordinate(w);
                break;
            case StoreKey s:
                Store(s);
                break;
            case InspectKey i:
                Sender.Tell(new KeyInspected(i.RequestId, _options.Node, _options.Partition, _replicaId, _keys.Durable(i.Key)));
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
        PersistKey(w.Key, updated, Sender, w.RequestId, isCoordinated: true);
    }

    private void Store(StoreKey s)
    {
        var newest = _keys.Newest(s.Key);
        var merged = newest.Merge(s.State);
        if (!merged.Equals(newest))
        {
            PersistKey(s.Key, merged, Sender, s.RequestId, isCoordinated: false);
            return;
        }
        // Nothing new, but what we hold may still be in flight: acknowledge once it is durable.
        var ack = new KeyStored(s.RequestId, _options.Node);
        var replyTo = Sender;
        if (_keys.HasInFlight(s.Key)) DeferAsync(ack, a => replyTo.Tell(a));
        else replyTo.Tell(ack);
    }

    private void PersistKey(string key, Versioning.SiblingSet state, IActorRef replyTo, long requestId, bool isCoordinated)
    {
        _keys.Persisting(key, state);
        var waiter = _waiting.AddLast((replyTo, requestId));
        PersistAsync(new KeyUpdated(key, state), e =>
        {
            _waiting.Remove(waiter);
            _keys.Confirmed(e.Key, e.State);
            replyTo.Tell(isCoordinated
                ? new WriteCoordinated(requestId, _options.Node, e.State)
                : new KeyStored(requestId, _options.Node));
            if (++_eventsSinceSnapshot >= _options.SnapshotEvery && !_snapshotting) Snapshot();
        });
    }

    private void Snapshot()
    {
        // Inside a persist handler the confirmed state is exactly the events up to LastSequenceNr.
        _snapshotting = true;
        _eventsSinceSnapshot = 0;
        SaveSnapshot(new ReplicaSnapshot(_replicaId, _keys.DurableSnapshot()));
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
internal sealed record ReplicaOptions(int Partition, Address Node, string JournalPluginId, string SnapshotPluginId, int SnapshotEvery);
