using Akka.Actor;
using Akka.Event;
using Akka.Persistence;
using LeaderlessActors.Serialization;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Membership;

/// <summary>
/// Keeps the ring state in the node's own journal, so a node (or a whole cluster) that restarts still knows every owner,
/// including the ones that are down. Each change is stored as the whole state (a ring is a handful of records) and the
/// events before it are deleted, so the journal holds one event. The parent gets the recovered state once, then sends
/// each state to keep; a storage failure stops this actor, and the parent starts another one later.
/// </summary>
internal sealed class RingStateStore : UntypedPersistentActor
{
    /// <summary>Sent to the parent once recovery is over, with the last state stored (empty on a first start).</summary>
    public sealed record Recovered(RingEntry[] Entries);

    /// <summary>Asks the store to keep <paramref name="Entries"/> in place of the previous state.</summary>
    public sealed record Keep(RingEntry[] Entries);

    private readonly ILoggingAdapter _log = Context.GetLogger();
    private RingEntry[] _recovered = [];

    public RingStateStore(string journalPluginId, string snapshotPluginId)
    {
        JournalPluginId = journalPluginId;
        SnapshotPluginId = snapshotPluginId;
    }

    public static Props Props(string journalPluginId, string snapshotPluginId) =>
        Akka.Actor.Props.Create(() => new RingStateStore(journalPluginId, snapshotPluginId));

    public override string PersistenceId => "leaderless-ring";

    protected override void OnRecover(object message)
    {
        switch (message)
        {
            case RingStored stored:
                _recovered = stored.Entries;
                break;
            case UnreadableEntry unreadable:
                // Damaged at rest: the peers' gossip brings the ring back, so this is no reason to stop.
                _log.Warning("The stored ring state is unreadable ({0}); the ring is learned from the peers.", unreadable.Error);
                break;
            case RecoveryCompleted:
                Context.Parent.Tell(new Recovered(_recovered));
                _recovered = [];
                break;
        }
    }

    protected override void OnCommand(object message)
    {
        switch (message)
        {
            case Keep keep:
                Persist(new RingStored(keep.Entries), _ =>
                {
                    if (LastSequenceNr > 1) DeleteMessages(LastSequenceNr - 1);
                });
                break;
            case DeleteMessagesSuccess:
                break;
            case DeleteMessagesFailure failure:
                _log.Warning("Older ring states could not be deleted: {0}", failure.Cause.Message);
                break;
            default:
                Unhandled(message);
                break;
        }
    }
}
