using LeaderlessActors.Membership;
using Akka.Actor;
using Akka.Event;
using Akka.Pattern;
using Akka.Persistence;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;

namespace LeaderlessActors.Hints;

/// <summary>
/// A node's hints, durable in its own journal: kept for owners that did not acknowledge a write coordinated here, or for
/// owners this node stood in for in a sloppy write, and replayed to each owner as an ordinary replica write
/// (<see cref="MergeKeyState"/>, a merge, so a replay twice is harmless) while the topology shows it reachable, at most
/// <c>replay-per-second</c>. A hint is deleted once its owner acknowledged it. The decisions are
/// <see cref="HintBacklog"/>'s; this actor persists them and does the messaging.
/// </summary>
internal sealed class HintStore : PersistentActor, IWithTimers
{
    public const string Name = "leaderless-hints";

    private sealed record ReplayTick
    {
        public static readonly ReplayTick Instance = new();
    }

    // Ten replay rounds a second: rate-limited smoothly rather than in one burst per second.
    private static readonly TimeSpan TickInterval = TimeSpan.FromMilliseconds(100);

    private readonly HintSettings _settings;
    private readonly Address _self;
    private readonly Topology _topology;
    private readonly HintBacklog _backlog;
    private readonly Dictionary<long, (Hint Hint, DateTime SentAt)> _inFlight = [];
    private readonly ILoggingAdapter _log = Context.GetLogger();
    private long _nextRequestId;
    private long _eventsSinceSnapshot;
    private long _ticks;
    private long _dropped;
    private long _replayed;
    // The pending count this store last reported to its node's gauge.
    private int _reportedPending;
    private readonly StoreMetrics _metrics;

    public HintStore(HintSettings settings, Address self, Topology topology, string journalPluginId, string snapshotPluginId,
        StoreMetrics metrics)
    {
        _metrics = metrics;
        _settings = settings;
        _self = self;
        _topology = topology;
        _backlog = new HintBacklog(settings.MaxPerTarget);
        JournalPluginId = journalPluginId;
        SnapshotPluginId = snapshotPluginId;
    }

    public ITimerScheduler Timers { get; set; } = null!;

    public override string PersistenceId => "leaderless-hints";

    public static Props Props(HintSettings settings, Address self, Topology topology, string journalPluginId, string snapshotPluginId,
        StoreMetrics metrics) =>
        Akka.Actor.Props.Create(() => new HintStore(settings, self, topology, journalPluginId, snapshotPluginId, metrics));

    /// <summary>
    /// The hint store under a supervisor that starts it again after a storage failure stopped it (a journal write or the
    /// recovery failed), waiting longer each time; the supervisor forwards every message to it, and is what
    /// <see cref="PathOn"/> names.
    /// </summary>
    public static Props Supervised(HintSettings settings, Address self, Topology topology, string journalPluginId, string snapshotPluginId,
        StoreMetrics metrics) =>
        BackoffSupervisor.Props(Backoff.OnStop(Props(settings, self, topology, journalPluginId, snapshotPluginId, metrics), "store",
            TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(30), randomFactor: 0.2, maxNrOfRetries: -1));

    /// <summary>The path of the (supervised) hint store on <paramref name="node"/>.</summary>
    public static ActorPath PathOn(Address node) => new RootActorPath(node) / "system" / Name;

    private DateTime Now => Context.System.Scheduler.Now.UtcDateTime;

    protected override bool ReceiveRecover(object message)
    {
        switch (message)
        {
            case SnapshotOffer { Snapshot: HintSnapshot snapshot }:
                foreach (var hint in snapshot.Hints) _backlog.Keep(hint);
                break;
            case HintKept kept:
                _backlog.Keep(kept.Hint);
                break;
            case HintDelivered d:
                _backlog.Delivered(d.Target, d.Partition, d.Key, d.Clock);
                break;
            case UnreadableEntry or SnapshotOffer { Snapshot: UnreadableEntry }:
                // Hints are a best effort: what damage took, read repair and anti-entropy still cover.
                _log.Warning("A damaged entry of the hint journal was skipped: the hints it held are lost");
                break;
            case RecoveryCompleted:
                ReportMetrics(withOldest: true);
                Timers.StartPeriodicTimer(ReplayTick.Instance, ReplayTick.Instance, TickInterval);
                break;
        }
        return true;
    }

    protected override bool ReceiveCommand(object message)
    {
        switch (message)
        {
            case KeepHints keep:
                foreach (var hint in keep.Hints) Keep(hint, onDurable: null);
                break;
            case StoreHint store:
                var replyTo = Sender;
                Keep(store.Hint, () => replyTo.Tell(new HintStored(store.RequestId, _self)), () =>
                    replyTo.Tell(new ReplicaFailed(store.RequestId, _self, ReplicaFailure.HintBacklogFull,
                        $"this node holds {_settings.MaxPerTarget} hints for {store.Hint.Target} (leaderless.hints.max-per-target)")));
                break;
            case ReplayTick:
                Replay();
                break;
            case KeyStored stored when _inFlight.Remove(stored.RequestId, out var sent):
                var (target, partition, key, clock) = (sent.Hint.Target, sent.Hint.Partition, sent.Hint.Key, sent.Hint.State.Clock);
                if (_backlog.Delivered(target, partition, key, clock))
                {
                    _replayed++;
                    _metrics.HintReplayed();
                    Record(new HintDelivered(target, partition, key, clock), onDurable: null);
                }
                break;
            case ReplicaFailed failed when _inFlight.Remove(failed.RequestId, out var sent):
                _backlog.Unsent(sent.Hint.Target, sent.Hint.Partition, sent.Hint.Key);
                break;
            case KeyStored or ReplicaFailed:
                break; // the answer to a replay given up on and already sent again
            case GetHintStatus:
                // Answered once every hint kept before the question is durable: what it reports survives a crash.
                var asker = Sender;
                DeferAsync(GetHintStatus.Instance, _ => asker.Tell(new HintStatus(_backlog.PendingPerTarget, _dropped, _replayed)));
                break;
            case SaveSnapshotSuccess success:
                DeleteMessages(success.Metadata.SequenceNr);
                DeleteSnapshots(new SnapshotSelectionCriteria(success.Metadata.SequenceNr - 1));
                break;
            case SaveSnapshotFailure failure:
                _log.Warning("Snapshot of the hints failed; the journal is kept and the next snapshot retries: {0}", failure.Cause.Message);
                break;
            case DeleteMessagesSuccess or DeleteMessagesFailure or DeleteSnapshotsSuccess or DeleteSnapshotsFailure:
                break;
            default:
                return false;
        }
        return true;
    }

    /// <summary>Applies the hint at once (replays and later hints build on it) and journals it; a full backlog drops it.</summary>
    private void Keep(Hint hint, Action? onDurable, Action? onDropped = null)
    {
        if (_backlog.Keep(hint) == KeepOutcome.Dropped)
        {
            _dropped++;
            _metrics.HintDropped();
            onDropped?.Invoke();
            return;
        }
        Record(new HintKept(hint), onDurable);
    }

    private void Record(object @event, Action? onDurable)
    {
        ReportMetrics(withOldest: false);
        PersistAsync(@event, _ =>
        {
            onDurable?.Invoke();
            // Inside a persist handler: the snapshot's sequence number is this event's. It may hold effects of later events
            // not yet durable; replaying those again over it is harmless (keeping merges, delivering checks clocks).
            if (++_eventsSinceSnapshot < _settings.SnapshotEvery) return;
            _eventsSinceSnapshot = 0;
            SaveSnapshot(new HintSnapshot(_backlog.All.ToArray()));
        });
    }

    private void Replay()
    {
        var now = Now;
        foreach (var expired in _inFlight.Where(f => now - f.Value.SentAt >= _settings.ReplayTimeout).Select(f => f.Key).ToArray())
            _inFlight.Remove(expired);
        // The oldest hint takes a scan of the backlog: once a second is enough for a gauge.
        ReportMetrics(withOldest: ++_ticks % 10 == 0);
        if (_backlog.Pending == 0) return;
        var topology = _topology.Current;
        var budget = Math.Max(1, _settings.ReplayPerSecond / 10);
        var due = _backlog.TakeDue(now, budget, _settings.ReplayTimeout, target => topology.IsReachable(target) && topology.HostOf(target) is not null);
        foreach (var hint in due)
        {
            var requestId = ++_nextRequestId;
            _inFlight[requestId] = (hint, now);
            topology.HostOf(hint.Target)!.Tell(new MergeKeyState(requestId, hint.Partition, hint.Key, hint.State));
        }
    }

    private void ReportMetrics(bool withOldest)
    {
        _metrics.HintsPendingChanged(_backlog.Pending - _reportedPending);
        _reportedPending = _backlog.Pending;
        if (withOldest) _metrics.OldestHintChanged(this, _backlog.OldestCreated);
    }

    protected override void PostStop()
    {
        _metrics.HintsPendingChanged(-_reportedPending);
        _reportedPending = 0;
        _metrics.OldestHintChanged(this, null);
        base.PostStop();
    }
}
