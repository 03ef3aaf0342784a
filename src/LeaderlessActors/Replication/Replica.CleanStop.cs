using Akka.Actor;

namespace LeaderlessActors.Replication;

// The replica's orderly stop as its node shuts down: the last event it persists proves, at the next start, that its
// journal is complete, so it keeps its epoch. A replica that never gets here (a crash, a kill) takes a new one.
internal sealed partial class Replica
{
    /// <summary>Sent by the host as the node shuts down: persist the clean-stop marker last, then stop.</summary>
    public sealed record StopCleanly
    {
        public static readonly StopCleanly Instance = new();
    }

    // Whether the clean-stop marker is on its way: nothing may be persisted after it.
    private bool _stoppingCleanly;

    private void BeginCleanStop()
    {
        if (_stoppingCleanly) return;
        _stoppingCleanly = true;
        StopResync();
        StopHandOver(); // the next incarnation starts it again
        AnswerHeldReads();
        Timers.CancelAll(); // no resync retry may start, and persist, after the marker
        // Events persisted before it are confirmed, and their waiters answered, before its handler runs.
        PersistAsync(_core.StopCleanly(), _ => Context.Stop(Self));
    }

    /// <summary>
    /// While the replica stops cleanly, a command that would persist something is refused with nothing stored (an event
    /// after the marker would void its proof); reads are still answered. True when <paramref name="message"/> was refused.
    /// </summary>
    private bool RefusedWhileStopping(object message)
    {
        if (!_stoppingCleanly) return false;
        switch (message)
        {
            case CoordinateWrite w:
                RefuseShuttingDown(Sender, w.RequestId);
                return true;
            case MergeKeyState s:
                RefuseShuttingDown(Sender, s.RequestId);
                return true;
            case StreamPartition:
                // Serving it may persist the peer's epoch; the peer's resync asks again, and asks others meanwhile.
                return true;
            case ReleasePartition or HandOverStrayCopy:
                return true; // nothing may follow the clean stop in the journal; the next incarnation keeps its copy
            default:
                return false;
        }
    }

    private void RefuseShuttingDown(IActorRef replyTo, long requestId) =>
        replyTo.Tell(new ReplicaFailed(requestId, _options.Node, ReplicaFailure.ShuttingDown, "the node is shutting down"));
}
