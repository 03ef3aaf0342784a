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

    /// <summary>Sent to the parent when a storage failure stops the replica: commands that follow wait for its
    /// successor rather than reach a replica on its way out, where they would be lost without an answer.</summary>
    public sealed record Stopping(int Partition);

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
    // The standing the replica acts on (it runs ahead of the journal), and the one the journal has confirmed, which is
    // what a snapshot may hold.
    private ReplicaStanding _standing = ReplicaStanding.None;
    private ReplicaStanding _durableStanding = ReplicaStanding.None;
    private long _eventsSinceSnapshot;
    private bool _snapshotting;
    private IActorRef? _resync;
    // A replica that started without history votes once a peer said it knew no other epoch at this address; reads
    // that come before are held for a moment (read-hold), then answered without a vote.
    private bool _peersChecked;
    private readonly List<(IActorRef ReplyTo, ReadKey Read)> _heldReads = [];
    // Whether the parent was told that this replica stops.
    private bool _leaving;
    // Whether this replica counts in the needing-repair gauge, which it keeps in step with its standing.
    private bool _countedAsNeedingRepair;

    public Replica(ReplicaOptions options)
    {
        _options = options;
        JournalPluginId = options.JournalPluginId;
        SnapshotPluginId = options.SnapshotPluginId;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaOptions options) => Akka.Actor.Props.Create(() => new Replica(options));

    public override string PersistenceId => $"leaderless-replica-{_options.Partition}";

    private long ReplicaId => _standing.ReplicaId;

    // A replica that lost history never votes before its repair; one that started without history votes once its peers
    // confirmed that no other replica stood here before it.
    private bool Votes => _standing.Repair is null || (!_standing.Repair.FromEveryPeer && _peersChecked);

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
            if (offer.Snapshot is PartitionSnapshot s) Restore(ReplicaStanding.Of(s.ReplicaId, s.Repair, s.PeerEpochs), s.Keys);
            else if (offer.Snapshot is ReplicaSnapshot legacy) Restore(ReplicaStanding.Of(legacy.ReplicaId, null, []), legacy.Keys);
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
            case UnreadableEntry u:
                _history.Lose($"journal event {LastSequenceNr} is unreadable: {u.Error}");
                break;
            case var marker when _standing.ApplyIfMarker(marker) is { } next:
                _standing = _durableStanding = next;
                if (marker is ReplicaHistoryLost) _history.Answered();
                break;
            default:
                throw new InvalidOperationException($"journal event {LastSequenceNr} is an unexpected {message.GetType().Name}");
        }
    }

    private void Restore(ReplicaStanding standing, KeyValuePair<string, Versioning.SiblingSet>[] keys)
    {
        _standing = _durableStanding = standing;
        _keys.Clear();
        foreach (var (key, state) in keys) _keys.Restore(key, state);
    }

    private void RecoveryCompleted()
    {
        Context.Parent.Tell(new Recovered(_options.Partition));
        CountNeedingRepair();
        _history.Completed(LastSequenceNr);
        if (_history.Lost is { } lost) StartOver(lost);
        else if (ReplicaId == 0) StartEpoch();
        else if (_standing.Repair is not null) StartResync();
    }

    private void StartEpoch()
    {
        // No history: this replica never issued a dot, or lost every trace of those it issued. A fresh random identity
        // keeps it apart from every other replica, and from whatever stood here before. The sync starts once the
        // epoch is durable: peers remember it, and must never learn an epoch that a restart would not bring back.
        var epoch = new ReplicaEpochStarted(NewReplicaId());
        _log.Info("Replica of partition {0} starts empty as epoch {1:x16}", _options.Partition, epoch.ReplicaId);
        PersistMarker(epoch, then: StartResync);
    }

    private void StartOver(string lost)
    {
        // Part of the history is gone, so this replica may once have issued dots it no longer knows of: a new identity
        // makes sure it never issues one again. What was readable is kept; peers bring back the rest.
        StopResync();
        var previous = ReplicaId;
        var marker = new ReplicaHistoryLost(NewReplicaId(), $"history lost: {lost}");
        Diagnostics.StoreMetrics.HistoryLost();
        _log.Error("Replica of partition {0} lost part of its history ({1}); it keeps the {2} keys it holds, continues as epoch " +
                   "{3:x16} (was {4:x16}), and does not vote in read quorums until a resync with every peer repaired it",
            _options.Partition, lost, _keys.DurableCount, marker.ReplicaId, previous);
        PersistMarker(marker, then: () =>
        {
            // Snapshot at once: the journal behind it, damaged entries included, is then never replayed again, so damage
            // found there later cannot pass for the damage this marker answers.
            if (!_snapshotting) Snapshot();
            StartResync();
        });
        AnswerHeldReads(); // without a vote now
    }

    private void PersistMarker(object marker, Action? then = null)
    {
        _standing = _standing.Apply(marker);
        CountNeedingRepair();
        _waiting.AddLast((ActorRefs.Nobody, 0));
        PersistAsync(marker, m =>
        {
            _waiting.RemoveFirst();
            _durableStanding = _durableStanding.Apply(m);
            then?.Invoke();
        });
    }

    private void CountNeedingRepair()
    {
        var needs = _standing.Repair is not null;
        if (needs == _countedAsNeedingRepair) return;
        _countedAsNeedingRepair = needs;
        Diagnostics.StoreMetrics.ReplicasNeedingRepairChanged(needs ? 1 : -1);
    }

    protected override void PostStop()
    {
        if (_countedAsNeedingRepair) Diagnostics.StoreMetrics.ReplicasNeedingRepairChanged(-1);
        Leave("the replica stopped"); // an exception stopped it (a bug), or the node shuts down
        base.PostStop();
    }

    private void StartResync()
    {
        if (_resync is not null || _standing.Repair is not { } repair) return;
        _resync = Context.ActorOf(PartitionResync.Props(_options, repair.FromEveryPeer, ReplicaId));
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
        if (_standing.Repair!.FromEveryPeer) _log.Info("Replica of partition {0} is repaired: a resync with every peer completed", _options.Partition);
        // Voting again before the marker is durable is safe: every key the resync merged is durable already.
        PersistMarker(new ReplicaResynced(ReplicaId));
        AnswerHeldReads();
    }

    private void Read(ReadKey read)
    {
        // Its peers usually answer a replica that started without history at once: a read waits for them a moment
        // rather than find the replica without a vote. One that lost history waits for a whole resync: no holding.
        if (!Votes && _standing.Repair is { FromEveryPeer: false } && _heldReads.Count < _options.HoldLimit)
        {
            if (_heldReads.Count == 0) Timers.StartSingleTimer(StopHoldingReads.Instance, StopHoldingReads.Instance, _options.Repair.ReadHold);
            _heldReads.Add((Sender, read));
            NudgeSync();
        }
        else Answer(Sender, read);
    }

    /// <summary>A read waits on the peers' word: the sync asks silent peers again now (it spaces its asks), or, when it
    /// gave up and waits for its retry, starts again now. (Before the epoch is durable there is no sync, nor a retry.)</summary>
    private void NudgeSync()
    {
        if (_resync is not null) _resync.Tell(PartitionResync.AskNow.Instance);
        else if (Timers.IsTimerActive(RetryResync.Instance))
        {
            Timers.Cancel(RetryResync.Instance);
            StartResync();
        }
    }

    private void Answer(IActorRef replyTo, ReadKey read) =>
        replyTo.Tell(new KeyRead(read.RequestId, _options.Node, _keys.Durable(read.Key), NeedsRepair: !Votes));

    private void AnswerHeldReads()
    {
        Timers.Cancel(StopHoldingReads.Instance);
        foreach (var (replyTo, read) in _heldReads) Answer(replyTo, read);
        _heldReads.Clear();
    }

    private void StreamTo(StreamPartition request)
    {
        var known = _standing.PeerEpochs.GetValueOrDefault(request.Requester);
        var earlier = 0L;
        // A replica that starts without history where another epoch stood is told so, every time it asks, until it
        // comes back as the repairing replica it then is; only that epoch, or a first one, is remembered.
        if (known != 0 && known != request.RequesterEpoch && request.RequesterFresh) earlier = known;
        else if (known != request.RequesterEpoch) PersistMarker(new PeerReplicaSeen(request.Requester, request.RequesterEpoch));
        Context.ActorOf(PartitionStreamer.Props(request, _options.Node, _keys.DurableSnapshot(), Sender, _options.Repair, earlier));
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
                Sender.Tell(new KeyInspected(i.RequestId, _options.Node, _options.Partition, ReplicaId, _keys.Durable(i.Key), _standing.Repair?.Reason));
                break;
            case StreamPartition s:
                StreamTo(s);
                break;
            case PartitionResync.Replaced r when Sender.Equals(_resync) && _standing.Repair is { FromEveryPeer: false }:
                StartOver($"it started without history where {r.Peer} knew epoch {r.EarlierEpoch:x16}: this node's storage of the partition was lost");
                break;
            case PartitionResync.PeersChecked when Sender.Equals(_resync):
                _peersChecked = true;
                AnswerHeldReads();
                break;
            case PartitionResync.Completed when Sender.Equals(_resync):
                StopResync();
                if (_standing.Repair is not null) Resynced();
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
        var limits = _options.Limits with { MaxSiblings = Math.Min(w.MaxSiblings, _options.Limits.MaxSiblings) };
        if (KeyAdmission.Coordinate(w.Key, _keys.Newest(w.Key), w.Context, w.Value, ReplicaId, limits, out var updated, out var issued) is { } refused)
        {
            Sender.Tell(new ReplicaFailed(w.RequestId, _options.Node, refused.Failure, refused.Message));
            return;
        }
        PersistKey(w.Key, updated, Sender, w.RequestId, issued);
    }

    private void Store(StoreKey s)
    {
        var newest = _keys.Newest(s.Key);
        if (UnknownOwnVersion(newest, s.State) is { } lost)
            StartOver($"a peer holds version {lost} of '{s.Key}', which this replica issued and no longer has");
        var merged = newest.Merge(s.State);
        if (s.Write && KeyAdmission.Replicate(newest, merged, _options.Limits) is { } refused)
        {
            Sender.Tell(new ReplicaFailed(s.RequestId, _options.Node, refused.Failure, refused.Message));
            return;
        }
        if (!merged.Equals(newest))
        {
            PersistKey(s.Key, merged, Sender, s.RequestId, issued: null);
            return;
        }
        // Nothing new, but what we hold may still be in flight: acknowledge once it is durable.
        var ack = new KeyStored(s.RequestId, _options.Node);
        var replyTo = Sender;
        if (!_keys.HasInFlight(s.Key))
        {
            replyTo.Tell(ack);
            return;
        }
        var waiter = _waiting.AddLast((replyTo, s.RequestId)); // answered with a failure if the journal fails first
        DeferAsync(ack, a =>
        {
            _waiting.Remove(waiter);
            replyTo.Tell(a);
        });
    }

    /// <summary>
    /// A version in <paramref name="incoming"/> that this replica created but <paramref name="held"/> does not know of.
    /// Only this replica creates versions with its identity (clocks may carry its counters from other keys, through
    /// client contexts, but siblings may not), so such a version means part of its history is gone: events lost from
    /// the journal's end, a database restored from a backup.
    /// </summary>
    private Versioning.Dot? UnknownOwnVersion(Versioning.SiblingSet held, Versioning.SiblingSet incoming)
    {
        var known = held.Clock.Get(ReplicaId);
        foreach (var sibling in incoming.Siblings)
            if (sibling.Dot.Replica == ReplicaId && sibling.Dot.Counter > known) return sibling.Dot;
        return null;
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
        SaveSnapshot(new PartitionSnapshot(_durableStanding.ReplicaId, _keys.DurableSnapshot(), _durableStanding.Repair,
            _durableStanding.PeerEpochs.ToArray()));
    }

    protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
    {
        Leave($"journal write failed: {cause.Message}"); // the actor stops after this
        base.OnPersistFailure(cause, @event, sequenceNr);
    }

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        Leave($"journal rejected the event: {cause.Message}");
        base.OnPersistRejected(cause, @event, sequenceNr);
        Context.Stop(Self); // later events were built on the rejected one: start over from the journal
    }

    /// <summary>
    /// The replica stops: it tells its parent first, so whatever anyone sends after the answers that follow waits for
    /// its successor, then answers everyone still waiting, so no coordinator mistakes silence for progress.
    /// </summary>
    private void Leave(string reason)
    {
        if (!_leaving)
        {
            _leaving = true;
            Context.Parent.Tell(new Stopping(_options.Partition));
        }
        FailAllWaiting(reason);
    }

    private void FailAllWaiting(string reason)
    {
        foreach (var (replyTo, requestId) in _waiting)
            if (!replyTo.IsNobody()) replyTo.Tell(new ReplicaFailed(requestId, _options.Node, ReplicaFailure.StorageFailed, reason));
        _waiting.Clear();
        _keys.DropInFlight();
        foreach (var (replyTo, read) in _heldReads)
            replyTo.Tell(new ReplicaFailed(read.RequestId, _options.Node, ReplicaFailure.StorageFailed, reason));
        _heldReads.Clear();
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
    int HoldLimit, Topology Topology, RepairSettings Repair, KeyLimits Limits);
