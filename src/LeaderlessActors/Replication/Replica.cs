using System.Security.Cryptography;
using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// The replica of one partition on this node: the keys of the partition with their versioned states, kept in the node's
/// own journal. Every state change is an event persisted before it is acknowledged; writes are persisted with
/// PersistAsync so the journal batches them, and answers that depend on state not yet durable are deferred until it is,
/// so nothing unconfirmed by the journal ever leaves the replica.
/// </summary>
internal sealed class Replica : UntypedPersistentActor
{
    private readonly int _partition;
    private readonly Address _node;
    private readonly Dictionary<string, SiblingSet> _keys = new(StringComparer.Ordinal);
    // Who waits for each in-flight event, in journal order, so a storage failure can be answered instead of dropped.
    private readonly LinkedList<(IActorRef ReplyTo, long RequestId)> _waiting = new();
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _replicaId;

    public Replica(int partition, Address node, string journalPluginId, string snapshotPluginId)
    {
        _partition = partition;
        _node = node;
        JournalPluginId = journalPluginId;
        SnapshotPluginId = snapshotPluginId;
    }

    public static Props Props(int partition, Address node, string journalPluginId, string snapshotPluginId) =>
        Akka.Actor.Props.Create(() => new Replica(partition, node, journalPluginId, snapshotPluginId));

    public override string PersistenceId => $"leaderless-replica-{_partition}";

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case ReplicaEpochStarted e:
                _replicaId = e.ReplicaId;
                break;
            case KeyUpdated e:
                _keys[e.Key] = e.State;
                break;
            case SnapshotOffer { Snapshot: ReplicaSnapshot s }:
                _replicaId = s.ReplicaId;
                _keys.Clear();
                foreach (var (key, state) in s.Keys) _keys[key] = state;
                break;
            case RecoveryCompleted when _replicaId == 0:
                // No history: this replica never issued a dot, or lost what it issued. A fresh random identity makes
                // sure it can never issue a dot an earlier incarnation already used.
                _replicaId = NewReplicaId();
                _log.Info("Replica of partition {0} starts empty with new epoch {1:x}", _partition, _replicaId);
                PersistTracked(new ReplicaEpochStarted(_replicaId), ActorRefs.Nobody, 0, static (_, _) => null);
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case ReadKey r:
                ReplyWhenDurable(Sender, new KeyRead(r.RequestId, _node, StateOf(r.Key)));
                break;
            case CoordinateWrite w:
                Coordinate(w);
                break;
            case StoreKey s:
                Store(s);
                break;
            case InspectKey i:
                ReplyWhenDurable(Sender, new KeyInspected(i.RequestId, _node, _partition, _replicaId, StateOf(i.Key)));
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Coordinate(CoordinateWrite w)
    {
        var updated = StateOf(w.Key).Update(w.Context, w.Value, _replicaId);
        if (updated.Siblings.Count > w.MaxSiblings)
        {
            Sender.Tell(new ReplicaFailed(w.RequestId, _node, ReplicaFailure.SiblingLimit,
                $"the write would leave {updated.Siblings.Count} siblings"));
            return;
        }
        _keys[w.Key] = updated;
        PersistTracked(new KeyUpdated(w.Key, updated), Sender, w.RequestId,
            (e, id) => new WriteCoordinated(id, _node, e.State));
    }

    private void Store(StoreKey s)
    {
        var current = StateOf(s.Key);
        var merged = current.Merge(s.State);
        if (merged.Equals(current))
        {
            ReplyWhenDurable(Sender, new KeyStored(s.RequestId, _node));
            return;
        }
        _keys[s.Key] = merged;
        PersistTracked(new KeyUpdated(s.Key, merged), Sender, s.RequestId, (_, id) => new KeyStored(id, _node));
    }

    private SiblingSet StateOf(string key) => _keys.GetValueOrDefault(key) ?? SiblingSet.Empty;

    private void PersistTracked<TEvent>(TEvent evt, IActorRef replyTo, long requestId, Func<TEvent, long, object?> reply)
    {
        var node = _waiting.AddLast((replyTo, requestId));
        PersistAsync(evt, e =>
        {
            _waiting.Remove(node);
            var answer = reply(e, requestId);
            if (answer is not null) replyTo.Tell(answer);
        });
    }

    private void ReplyWhenDurable(IActorRef replyTo, object answer)
    {
        // State visible to this command may still be in flight to the journal: answer only after it is durable.
        if (_waiting.Count == 0) replyTo.Tell(answer);
        else DeferAsync(answer, a => replyTo.Tell(a));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        // The actor stops after this: answer everyone still waiting so no coordinator mistakes silence for progress.
        FailAllWaiting($"journal write failed: {cause.Message}");
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        // The in-memory state already holds the rejected change; restart from the journal rather than keep it.
        FailAllWaiting($"journal rejected the event: {cause.Message}");
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self);
    }

    private void FailAllWaiting(string reason)
    {
        foreach (var (replyTo, requestId) in _waiting)
            if (!replyTo.IsNobody()) replyTo.Tell(new ReplicaFailed(requestId, _node, ReplicaFailure.StorageFailed, reason));
        _waiting.Clear();
    }

    private static long NewReplicaId()
    {
        long id;
        do id = BitConverter.ToInt64(RandomNumberGenerator.GetBytes(8)); while (id == 0);
        return id;
    }
}
