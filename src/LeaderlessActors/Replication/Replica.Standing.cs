using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Replication;

// The replica's standing: recovery from its journal, its epoch, a start over after lost history, and the resync with its
// peers that repairs it.
internal sealed partial class Replica
{
    protected override void OnRecover(object message)
    {
        // An exception here is a bug, not damage (damage reads back as UnreadableEntry): recovery fails and is retried.
        if (message is RecoveryCompleted) RecoveryCompleted();
        else if (message is SnapshotOffer offer) RecoverSnapshot(offer);
        else if (!_core.Replay(LastSequenceNr, message))
            throw new InvalidOperationException($"journal event {LastSequenceNr} is an unexpected {message.GetType().Name}");
    }

    private void RecoverSnapshot(SnapshotOffer offer)
    {
        var sequenceNr = offer.Metadata.SequenceNr;
        if (offer.Snapshot is PartitionSnapshotWithCollected c)
            _core.RecoverSnapshot(sequenceNr, ReplicaStanding<Address>.Of(c.ReplicaEpoch, c.Repair, c.PeerEpochs, c.RetiredEpochs) with
            {
                Collected = c.Collected,
            }, c.Keys);
        else if (offer.Snapshot is PartitionSnapshotWithEpochs e)
            _core.RecoverSnapshot(sequenceNr, ReplicaStanding<Address>.Of(e.ReplicaEpoch, e.Repair, e.PeerEpochs, e.RetiredEpochs), e.Keys);
        else if (offer.Snapshot is PartitionSnapshot s)
            _core.RecoverSnapshot(sequenceNr, ReplicaStanding<Address>.Of(s.ReplicaEpoch, s.Repair, s.PeerEpochs), s.Keys);
        else if (offer.Snapshot is ReplicaSnapshot legacy)
            _core.RecoverSnapshot(sequenceNr, ReplicaStanding<Address>.Of(legacy.ReplicaEpoch, null, []), legacy.Keys);
        else if (offer.Snapshot is UnreadableEntry u) _core.RecoverUnreadableSnapshot(sequenceNr, u.Error);
        else throw new InvalidOperationException($"the snapshot is an unexpected {offer.Snapshot.GetType().Name}");
    }

    private void RecoveryCompleted()
    {
        Context.Parent.Tell(new Recovered(_options.Partition));
        CountNeedingRepair();
        StartSoleOwnerCollection();
        switch (_core.RecoveryCompleted(LastSequenceNr))
        {
            case AfterRecovery.StartOver:
                StartOver(_core.LostHistory!);
                break;
            case AfterRecovery.StartEpoch:
                StartEpoch();
                break;
            case AfterRecovery.RenewEpoch:
                RenewEpoch();
                break;
            case AfterRecovery.Resync:
                StartResync();
                break;
            case AfterRecovery.Ready:
                CheckOwnership(); // it may have become a new owner while it was not running
                break;
        }
    }

    private void RenewEpoch()
    {
        var previous = _core.ReplicaEpoch;
        var marker = _core.RenewEpoch();
        _options.Metrics.EpochRenewed();
        _log.Info("Replica of partition {0} did not stop cleanly last time: it keeps its {1} keys and continues as epoch {2:x16} " +
                  "(was {3:x16}), so it never issues a version its earlier self may have issued", _options.Partition,
            _core.DurableKeyCount, marker.ReplicaEpoch, previous);
        PersistMarker(marker, then: StartResync); // a repair recorded before the restart goes on
    }

    private void StartEpoch()
    {
        // The sync starts once the epoch is durable: peers remember it, and must never learn an epoch that a restart
        // would not bring back.
        var epoch = _core.StartEpoch();
        _log.Info("Replica of partition {0} starts empty as epoch {1:x16}", _options.Partition, epoch.ReplicaEpoch);
        PersistMarker(epoch, then: StartResync);
    }

    private void StartOver(string lost)
    {
        StopResync();
        var previous = _core.ReplicaEpoch;
        var marker = _core.LoseHistory(lost);
        _options.Metrics.HistoryLost();
        _log.Error("Replica of partition {0} lost part of its history ({1}); it keeps the {2} keys it holds, continues as epoch " +
                   "{3:x16} (was {4:x16}), and does not vote in read quorums until a resync with every peer repaired it",
            _options.Partition, lost, _core.DurableKeyCount, marker.ReplicaEpoch, previous);
        PersistMarker(marker, then: () =>
        {
            // Snapshot at once: the journal behind it, damaged entries included, is then never replayed again, so damage
            // found there later cannot pass for the damage this marker answers.
            if (!_core.Snapshotting) Snapshot();
            StartResync();
        });
        AnswerHeldReads(); // without a vote now
    }

    /// <summary>Persists a standing marker the core has already applied; <paramref name="then"/> runs once it is durable.</summary>
    private void PersistMarker(object marker, Action? then = null)
    {
        CountNeedingRepair();
        PersistAsync(marker, m =>
        {
            _core.MarkerConfirmed(m);
            then?.Invoke();
        });
    }

    private void CountNeedingRepair()
    {
        var needs = _core.Repair is { IsRelease: false };
        if (needs == _countedAsNeedingRepair) return;
        _countedAsNeedingRepair = needs;
        _options.Metrics.ReplicasNeedingRepairChanged(needs ? 1 : -1);
    }

    private void StartResync()
    {
        // A released copy never resyncs (that would bring it back) unless the partition returns (HandoffFirst).
        if (_resync is not null || HandoffFirst() || _core.Released || WaitsForFillSlot() || _core.Repair is not { } repair) return;
        _fillingFrom = Move?.Sources ?? [];
        _resync = Context.ActorOf(PartitionResync.Props(_options, repair.FromEveryPeer, _core.ReplicaEpoch, _core.RetiredEpochs));
        Context.Watch(_resync);
    }

    private void StopResync()
    {
        ReleaseFillSlot();
        if (_resync is null) return;
        Context.Unwatch(_resync);
        Context.Stop(_resync);
        _resync = null;
    }

    private void Resynced()
    {
        var fromEveryPeer = _core.Repair?.FromEveryPeer == true;
        if (_core.ResyncCompleted() is not { } marker) return; // it needed no repair
        if (fromEveryPeer) _log.Info("Replica of partition {0} is repaired: a resync with every peer completed", _options.Partition);
        PersistMarker(marker, then: () => Filled(fromEveryPeer));
        AnswerHeldReads();
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

    private static long NewEpoch() => RandomIds.NextNonZero();
}
