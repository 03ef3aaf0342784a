using LeaderlessActors.Membership;
using Akka;
using Akka.Actor;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Storage;

namespace LeaderlessActors.Replication;

/// <summary>
/// The entry point of a node's replicas: coordinators anywhere in the cluster send replica commands here, and the host
/// routes each to the replica of its partition, starting that replica on first use (it then recovers from the journal).
/// </summary>
internal sealed partial class ReplicaHost : UntypedActor, IWithTimers
{
    public ITimerScheduler Timers { get; set; } = null!;

    public const string Name = "leaderless-replicas";

    private readonly LeaderlessSettings _settings;
    private readonly Address _node;
    private readonly StoragePlugins _storage;
    // The node's one background-repair rate (shared with anti-entropy): resyncs and handoff fills pace their chunks by it.
    private readonly RepairThrottle? _throttle;
    private readonly TimeProvider _clock;
    private readonly Topology _topology;
    private readonly Diagnostics.StoreMetrics _metrics;
    private readonly IActorRef?[] _replicas;
    // Who waits on each replica that is still recovering (null once it has recovered): bounds what a recovering
    // replica holds back, and lets the host answer them if the recovery fails and the replica stops.
    private readonly List<(IActorRef ReplyTo, long RequestId)>?[] _heldWhileRecovering;
    // Commands for a replica on its way out after a storage failure (non-null once it said so): its successor takes the
    // same name and journal, so it starts only when the old one has stopped, and these go to it then.
    private readonly List<(IActorRef ReplyTo, IReplicaCommand Command)>?[] _waitingForSuccessor;
    // By partition: the versions a replica that a journal failure stopped told early and lost, for its successor.
    private readonly Dictionary<int, IReadOnlyCollection<(string Key, Versioning.Dot Dot)>> _lostAfterTelling = [];

    private readonly TaskCompletionSource _storageReady;
    // Who asked for the clean stop of every replica as the node shuts down (non-null from then on); told Done once all
    // stopped. From then on no replica starts and every command is refused.
    private IActorRef? _cleanStopRequester;

    public ReplicaHost(LeaderlessSettings settings, Address node, StoragePlugins storage, Topology topology, TaskCompletionSource storageReady,
        Diagnostics.StoreMetrics metrics, RepairThrottle? throttle, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _metrics = metrics;
        _throttle = throttle;
        _topology = topology;
        _storageReady = storageReady;
        _settings = settings;
        _node = node;
        _storage = storage;
        _replicas = new IActorRef?[settings.PartitionCount];
        _heldWhileRecovering = new List<(IActorRef, long)>?[settings.PartitionCount];
        _waitingForSuccessor = new List<(IActorRef, IReplicaCommand)>?[settings.PartitionCount];
    }

    public static Props Props(LeaderlessSettings settings, Address node, StoragePlugins storage, Topology topology,
        TaskCompletionSource storageReady, Diagnostics.StoreMetrics metrics, RepairThrottle? throttle = null, TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new ReplicaHost(settings, node, storage, topology, storageReady, metrics, throttle, clock));

    // Opening the journal (connection, schema, tables) takes seconds on first use: start one replica now, so that
    // cost is paid at start-up and StorageReady tells when the node's storage answers.
    protected override void PreStart()
    {
        ReplicaOf(0);
        StartWatchingOwnership();
    }

    private sealed record RetryWarmUp
    {
        public static readonly RetryWarmUp Instance = new();
    }

    /// <summary>
    /// The node shuts down: every replica persists its clean-stop marker and stops (see <see cref="Replica.StopCleanly"/>);
    /// answered with <see cref="Done"/> once all have stopped. Commands that arrive from then on are refused.
    /// </summary>
    public sealed record StopReplicasCleanly
    {
        public static readonly StopReplicasCleanly Instance = new();
    }

    protected override SupervisorStrategy SupervisorStrategy() =>
        // A replica that throws is stopped, not restarted in place: the next command starts it again from the journal.
        new OneForOneStrategy(_ => Directive.Stop);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case StopReplicasCleanly:
                StopAllCleanly();
                break;
            case IReplicaCommand c when _cleanStopRequester is not null:
                RefuseShuttingDown(c, Sender);
                break;
            case IReplicaCommand c when c.Partition < 0 || c.Partition >= _replicas.Length:
                Sender.Tell(new ReplicaFailed(c.RequestId, _node, ReplicaFailure.UnknownPartition,
                    $"partition {c.Partition} is outside 0..{_replicas.Length - 1}; do all nodes use the same leaderless.partition-count?"));
                break;
            case IReplicaCommand c when Backlog(c.Partition) >= _settings.Storage.RecoveryBacklogLimit:
                Sender.Tell(new ReplicaFailed(c.RequestId, _node, ReplicaFailure.Recovering,
                    $"the replica is recovering or restarting and already holds {_settings.Storage.RecoveryBacklogLimit} commands (leaderless.storage.recovery-backlog-limit)"));
                break;
            case IReplicaCommand c when _waitingForSuccessor[c.Partition] is { } waiting:
                waiting.Add((Sender, c));
                break;
            case IReplicaCommand c:
                Deliver(c, Sender);
                break;
            case Replica.Stopping s when Sender.Equals(_replicas[s.Partition]):
                _waitingForSuccessor[s.Partition] ??= [];
                if (s.LostAfterTelling.Count > 0) _lostAfterTelling[s.Partition] = s.LostAfterTelling;
                break;
            case Replica.Recovered r when Sender.Equals(_replicas[r.Partition]):
                _heldWhileRecovering[r.Partition] = null;
                _storageReady.TrySetResult();
                break;
            case RetryWarmUp when !_storageReady.Task.IsCompleted && _replicas[0] is null && _cleanStopRequester is null:
                ReplicaOf(0);
                break;
            case Terminated t:
                for (var p = 0; p < _replicas.Length; p++)
                    if (t.ActorRef.Equals(_replicas[p])) ReplicaStopped(p);
                AnswerWhenAllStopped();
                break;
            default:
                if (!Ownership(message)) Unhandled(message);
                break;
        }
    }

    /// <summary>Commands held back for a partition's replica: while it recovers, or until its successor starts.</summary>
    private int Backlog(int partition) =>
        (_waitingForSuccessor[partition]?.Count ?? 0) + (_heldWhileRecovering[partition]?.Count ?? 0);

    private void Deliver(IReplicaCommand command, IActorRef replyTo)
    {
        if (_cleanStopRequester is not null)
        {
            RefuseShuttingDown(command, replyTo); // no replica starts while the node shuts down
            return;
        }
        var replica = ReplicaOf(command.Partition);
        _heldWhileRecovering[command.Partition]?.Add((replyTo, command.RequestId));
        replica.Tell(command, replyTo);
    }

    private void StopAllCleanly()
    {
        _cleanStopRequester = Sender;
        foreach (var replica in _replicas) replica?.Tell(Replica.StopCleanly.Instance);
        AnswerWhenAllStopped();
    }

    private void AnswerWhenAllStopped()
    {
        if (_cleanStopRequester is null || _replicas.Any(r => r is not null)) return;
        _cleanStopRequester.Tell(Done.Instance);
    }

    private void RefuseShuttingDown(IReplicaCommand command, IActorRef replyTo) =>
        replyTo.Tell(new ReplicaFailed(command.RequestId, _node, ReplicaFailure.ShuttingDown, "the node is shutting down"));

    private IActorRef ReplicaOf(int partition)
    {
        if (_replicas[partition] is { } existing) return existing;
        var options = new ReplicaOptions(partition, _node, _storage.JournalPluginId, _storage.SnapshotPluginId,
            _settings.Storage.SnapshotEvery, _settings.Storage.RecoveryBacklogLimit, _topology, _settings.Repair, KeyLimits.From(_settings))
        {
            TreeShape = _settings.AntiEntropy.TreeShape,
            TombstoneGrace = _settings.AntiEntropy.TombstoneGrace,
            Metrics = _metrics,
            Throttle = _throttle,
            Clock = _clock,
            LostAfterTelling = _lostAfterTelling.Remove(partition, out var lost) ? lost : [],
            FanOutBeforeDurable = _settings.Storage.FanOutBeforeDurable,
        };
        var replica = Context.ActorOf(Replica.Props(options), $"p{partition}");
        Context.Watch(replica);
        _heldWhileRecovering[partition] = [];
        return _replicas[partition] = replica;
    }

    private void ReplicaStopped(int partition)
    {
        _replicas[partition] = null;
        ReleaseFillSlot(partition);
        // Stopped before it recovered (its storage could not be read): what it held back is lost, so say so.
        foreach (var (replyTo, requestId) in _heldWhileRecovering[partition] ?? [])
            replyTo.Tell(new ReplicaFailed(requestId, _node, ReplicaFailure.Recovering, "the replica could not recover from its storage"));
        _heldWhileRecovering[partition] = null;
        if (_waitingForSuccessor[partition] is { } waiting)
        {
            _waitingForSuccessor[partition] = null;
            foreach (var (replyTo, command) in waiting) Deliver(command, replyTo);
        }
        // Storage that never answered yet (a database still starting, say) is tried again until it does.
        if (!_storageReady.Task.IsCompleted)
            Timers.StartSingleTimer(RetryWarmUp.Instance, RetryWarmUp.Instance, TimeSpan.FromSeconds(1));
    }
}
