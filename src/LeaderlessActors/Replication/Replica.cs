using Akka.Actor;
using Akka.Event;
using Akka.Persistence;

namespace LeaderlessActors.Replication;

/// <summary>
/// The replica of one partition on this node: the partition's keys with their versioned states, kept in the node's own
/// journal. The decisions are <see cref="ReplicaCore{TPeer,TReplyTo}"/>'s; this actor carries them out with messages,
/// persistence and timers. Every change is an event persisted before it is acknowledged. Events are persisted with
/// PersistAsync so the journal batches them; answers are built from journal-confirmed state only (see
/// <see cref="ReplicaKeys"/>), except that with fan-out-before-durable a coordinator on this node learns a write's new
/// state as soon as it is decided, to store it on the other replicas while this journal writes it
/// (<see cref="WriteIssued"/>). Every <c>snapshot-every</c> events the confirmed state is snapshotted and the journal
/// behind it deleted, so disk use and recovery time follow the live data rather than the write history.
/// </summary>
internal sealed partial class Replica : UntypedPersistentActor, IWithTimers
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
    private readonly ReplicaCore<Address, IActorRef> _core;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private IActorRef? _resync;
    // Whether the parent was told that this replica stops.
    private bool _leaving;
    // Whether this replica counts in the needing-repair gauge, which it keeps in step with its standing.
    private bool _countedAsNeedingRepair;

    public Replica(ReplicaOptions options)
    {
        _options = options;
        _core = new ReplicaCore<Address, IActorRef>(options.HoldLimit, options.SnapshotEvery, NewEpoch, options.TreeShape);
        _core.LostAfterTelling(options.LostAfterTelling);
        JournalPluginId = options.JournalPluginId;
        SnapshotPluginId = options.SnapshotPluginId;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public static Props Props(ReplicaOptions options) => Akka.Actor.Props.Create(() => new Replica(options));

    public override string PersistenceId => $"leaderless-replica-{_options.Partition}";

    private void Read(ReadKey read)
    {
        if (_core.Read(Sender, read.RequestId, read.Key) is { } answer)
        {
            Answer(answer);
            return;
        }
        if (_core.HeldReadCount == 1) Timers.StartSingleTimer(StopHoldingReads.Instance, StopHoldingReads.Instance, _options.Repair.ReadHold);
        NudgeSync();
    }

    private void Answer(ReadAnswer<IActorRef> answer) =>
        answer.Reply.ReplyTo.Tell(new KeyRead(answer.Reply.RequestId, _options.Node, answer.State, answer.NeedsRepair));

    private void AnswerHeldReads()
    {
        Timers.Cancel(StopHoldingReads.Instance);
        foreach (var answer in _core.ReleaseHeldReads()) Answer(answer);
    }

    private void StreamTo(StreamPartition request)
    {
        var check = _core.CheckPeer(request.Requester, request.RequesterEpoch, request.RequesterFresh);
        if (check.RememberPeer) PersistMarker(_core.Marker(new PeerReplicaSeen(request.Requester, request.RequesterEpoch)));
        Context.ActorOf(PartitionStreamer.Props(request, _options.Node, _core.DurableSnapshot(), Sender, _options.Repair, check.EarlierEpoch));
    }

    protected override void OnCommand(object message)
    {
        if (RefusedWhileStopping(message)) return;
        switch (message)
        {
            case StopCleanly:
                BeginCleanStop();
                break;
            case ReadKey r:
                Read(r);
                break;
            case CoordinateWrite w:
                Coordinate(w);
                break;
            case MergeKeyState s:
                Store(s);
                break;
            case InspectKey i:
                Sender.Tell(new KeyInspected(i.RequestId, _options.Node, _options.Partition, _core.ReplicaEpoch, _core.Durable(i.Key),
                    _core.Repair?.Reason));
                break;
            case StreamPartition s:
                StreamTo(s);
                break;
            case PartitionResync.Replaced r when Sender.Equals(_resync) && _core.Repair is { FromEveryPeer: false }:
                StartOver($"it started without history where {r.Peer} knew epoch {r.EarlierEpoch:x16}: this node's storage of the partition was lost");
                break;
            case PartitionResync.PeersChecked when Sender.Equals(_resync):
                _core.PeersChecked();
                AnswerHeldReads();
                break;
            case PartitionResync.Completed when Sender.Equals(_resync):
                StopResync();
                Resynced();
                break;
            case StopHoldingReads:
                AnswerHeldReads();
                break;
            case Terminated t when t.ActorRef.Equals(_resync):
                // The resync could not reach or hear from every peer: try again later, still without a vote meanwhile.
                StopResync(); // already stopped: this gives back its fill slot
                Timers.StartSingleTimer(RetryResync.Instance, RetryResync.Instance, _options.Repair.RetryInterval);
                break;
            case RetryResync:
                StartResync();
                break;
            default:
                if (!SnapshotHousekeeping(message) && !AnswerExchange(message) && !Handoff(message) && !Release(message)) Unhandled(message);
                break;
        }
    }

    private void Coordinate(CoordinateWrite w)
    {
        var limits = _options.Limits with { MaxSiblings = Math.Min(w.MaxSiblings, _options.Limits.MaxSiblings) };
        // Only a coordinator on this node is told early: a remote one may run an older version that cannot read it.
        var early = _options.FanOutBeforeDurable && Sender.Path.Address.HasLocalScope;
        var decision = _core.CoordinateWrite(Sender, w.RequestId, w.Key, w.Context, w.Value, limits, early);
        if (decision.Persist is { } pending) PersistKey(pending);
        else Sender.Tell(new ReplicaFailed(w.RequestId, _options.Node, decision.Refused!.Failure, decision.Refused.Message));
    }

    private void Store(MergeKeyState s)
    {
        var decision = _core.MergePeerState(Sender, s.RequestId, s.Key, s.State, s.Write ? _options.Limits : null);
        if (decision.LostOwnVersion is { } lost)
            StartOver($"a peer holds version {lost} of '{s.Key}', which this replica issued and no longer has");
        if (decision.Refused is { } refused) Sender.Tell(new ReplicaFailed(s.RequestId, _options.Node, refused.Failure, refused.Message));
        else if (decision.Persist is { } pending) PersistKey(pending);
        else if (decision.WhenDurable is { } waiter)
            DeferAsync(new KeyStored(s.RequestId, _options.Node), ack => _core.Acknowledged(waiter).ReplyTo.Tell(ack));
        else Sender.Tell(new KeyStored(s.RequestId, _options.Node));
    }
}
