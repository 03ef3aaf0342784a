using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace LeaderlessActors.Replication;

// The replica's journal: persisting key events, snapshots and their housekeeping, and answering everyone waiting when
// the journal fails.
internal sealed partial class Replica
{
    /// <summary>Sent to the parent when a storage failure stops the replica: commands that follow wait for its
    /// successor rather than reach a replica on its way out, where they would be lost without an answer. The successor
    /// is told the versions this one told early and did not make durable (<see cref="ReplicaOptions.LostAfterTelling"/>).</summary>
    public sealed record Stopping(int Partition, IReadOnlyCollection<(string Key, Versioning.Dot Dot)> LostAfterTelling);

    protected override void PostStop()
    {
        if (_countedAsNeedingRepair) _options.Metrics.ReplicasNeedingRepairChanged(-1);
        Leave("the replica stopped"); // an exception stopped it (a bug), or the node shuts down
        base.PostStop();
    }

    private void PersistKey(PendingKey<IActorRef> pending)
    {
        if (pending is { TellEarly: true, Issued: { } issued })
            pending.Waiter.Value.ReplyTo.Tell(new WriteIssued(pending.Waiter.Value.RequestId, _options.Node, pending.Event.State, issued));
        PersistAsync(pending.Event, _ =>
        {
            var answer = _core.KeyConfirmed(pending);
            answer.Reply.ReplyTo.Tell(answer.Issued is { } dot
                ? new WriteCoordinated(answer.Reply.RequestId, _options.Node, answer.State, dot)
                : new KeyStored(answer.Reply.RequestId, _options.Node));
            if (_core.SnapshotDue) Snapshot();
        });
    }

    private void Snapshot()
    {
        // Inside a persist handler the confirmed state is exactly the events up to LastSequenceNr.
        var (standing, keys) = _core.StartSnapshot();
        SaveSnapshot(new PartitionSnapshotWithCollected(standing.ReplicaEpoch, keys, standing.Repair, standing.PeerEpochs.ToArray(),
            standing.RetiredEpochs.ToArray(), standing.Collected));
    }

    /// <summary>Handles the answers of the snapshot store; false for any other message.</summary>
    private bool SnapshotHousekeeping(object message)
    {
        switch (message)
        {
            case SaveSnapshotSuccess success:
                _core.SnapshotEnded();
                // The snapshot covers everything up to its sequence number: drop what it replaces.
                DeleteMessages(success.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
                return true;
            case SaveSnapshotFailure failure:
                _core.SnapshotEnded();
                _log.Warning("Snapshot of partition {0} failed; the journal is kept and the next snapshot retries: {1}",
                    _options.Partition, failure.Cause.Message);
                return true;
            case DeleteMessagesFailure failure:
                _log.Warning("Deleting journal events of partition {0} behind a snapshot failed: {1}", _options.Partition, failure.Cause.Message);
                return true;
            case DeleteMessagesSuccess or DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                return true;
            default:
                return false;
        }
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
            Context.Parent.Tell(new Stopping(_options.Partition, _core.ToldAndUnconfirmed()));
        }
        foreach (var (replyTo, requestId) in _core.FailAll())
            replyTo.Tell(new ReplicaFailed(requestId, _options.Node, ReplicaFailure.StorageFailed, reason));
    }
}
