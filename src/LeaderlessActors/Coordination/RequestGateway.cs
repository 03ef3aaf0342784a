using LeaderlessActors.Membership;
using LeaderlessActors.Diagnostics;
using System.Diagnostics;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Where a node takes requests: validates each one, plans it from the current topology, and starts a short-lived
/// coordinator for it, answering directly to the requester. Caps the coordinators alive at once; past the cap requests
/// wait in arrival order, each up to its own timeout, and start as coordinators finish. A coordinator lives until its
/// remote replicas answered (or its settle window ended), so the cap also bounds the replication still in flight after
/// a One-level answer: clients slow down to the pace the replicas keep instead of piling work up in remoting's queues,
/// ahead of the cluster's heartbeats. Past a bounded queue, requests meet an explicit <see cref="OverloadedException"/>
/// instead of unbounded memory. A request that arrives before the node can plan any (its ring is not known yet, or it is
/// still learning from its peers which partitions move) waits the same way: an application that starts a node and
/// writes at once is served.
/// </summary>
internal sealed class RequestGateway : UntypedActor, IWithTimers
{
    // How often waiting requests look at the topology again, and at their deadlines.
    private static readonly TimeSpan WaitingCheckInterval = TimeSpan.FromMilliseconds(50);
    // The least time a started request gets to reach its replicas.
    private static readonly TimeSpan MinimumTimeout = TimeSpan.FromMilliseconds(10);

    public const string Name = "leaderless-gateway";

    private readonly LeaderlessSettings _settings;
    private readonly Topology _topology;
    private readonly KeyPartitioner _partitioner;
    private readonly RequestValidator _validator;
    // Confirms contexts signed with a generated secret this node has not learned yet; null when none can be learned.
    private readonly IActorRef? _secretSharing;
    // This node's hint store (Nobody when hints are off).
    private readonly IActorRef _hints;
    private readonly Queue<(IStoreRequest Request, IActorRef ReplyTo, ActivityContext Trace, DateTimeOffset Deadline)> _waiting = new();
    private long _nextRequestId;
    // Where every replica answers this gateway's coordinators; its own per gateway instance, as the request ids are. A
    // restarted gateway numbers from 1 again behind a new endpoint, so no late answer reaches a new coordinator.
    private readonly ReplyEndpoint _replies;
    private readonly StoreMetrics _metrics;
    // The store's clock, which write coordinators stamp the hints they leave with.
    private readonly TimeProvider _clock;
    private int _live;
    // This node's replica read round trips, which set how long a hedging read waits; null when hedging is off.
    private readonly ReadLatencyTracker? _readLatencies;

    public ITimerScheduler Timers { get; set; } = null!;

    public RequestGateway(LeaderlessSettings settings, Topology topology, IActorRef? secretSharing, StoreMetrics metrics, IActorRef? hints = null,
        TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _metrics = metrics;
        _hints = hints ?? ActorRefs.Nobody;
        _settings = settings;
        _topology = topology;
        _secretSharing = secretSharing;
        _partitioner = new KeyPartitioner(settings.PartitionCount);
        _validator = new RequestValidator(settings, Contexts.ContextAuthority.Get(Context.System));
        _readLatencies = settings.ReadHedging.Enabled ? new ReadLatencyTracker(settings.ReadHedging) : null;
        _replies = new ReplyEndpoint(((ExtendedActorSystem)Context.System).Provider);
    }

    public static Props Props(LeaderlessSettings settings, Topology topology, IActorRef? secretSharing, StoreMetrics metrics, IActorRef? hints = null,
        TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new RequestGateway(settings, topology, secretSharing, metrics, hints, clock));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    // On a restart too (PreRestart calls it): the coordinators stop with this instance, and the next one has its own endpoint.
    protected override void PostStop() => _replies.Close();

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case IStoreRequest request:
                Admit(request, Sender, default);
                break;
            case TracedRequest traced:
                Admit(traced.Request, Sender, traced.Trace);
                break;
            case Contexts.ContextConfirmed confirmed:
                Admit(confirmed.Request, confirmed.ReplyTo, confirmed.Trace);
                break;
            case CoordinatorStopped:
                _live--;
                StartWaiting();
                break;
            case CheckWaiting:
                ExpireWaiting();
                StartWaiting();
                break;
            default:
                Unhandled(message);
                return;
        }
        _metrics.GatewayLoad(_live, _waiting.Count);
    }

    private void Admit(IStoreRequest request, IActorRef replyTo, ActivityContext trace)
    {
        if (_validator.Check(request) is { } invalid)
        {
            if (invalid.UnverifiedContext is { } context && _secretSharing is not null)
                _secretSharing.Tell(new Contexts.ConfirmContext(request, context, replyTo, invalid, TimeoutOf(request), trace));
            else
                replyTo.Tell(new RequestFailed(request.CorrelationId, invalid));
            return;
        }
        var timeout = TimeoutOf(request);
        // Behind requests already waiting, so none is overtaken; a full queue leaves Start to refuse with the reason.
        var mustWait = _waiting.Count > 0 || _live >= _settings.MaxLiveCoordinators || !CanPlan(_topology.Current);
        if (mustWait && _waiting.Count < _settings.MaxQueuedRequests)
        {
            _waiting.Enqueue((request, replyTo, trace, Context.System.Scheduler.Now + timeout));
            if (!Timers.IsTimerActive(CheckWaiting.Instance))
                Timers.StartPeriodicTimer(CheckWaiting.Instance, CheckWaiting.Instance, WaitingCheckInterval);
            return;
        }
        Start(request, replyTo, trace, timeout);
    }

    // A clustered node has no ring before the membership watcher publishes the agreed one, and plans nothing while it
    // does not yet know which partitions move; every plan would be refused as infeasible meanwhile.
    private static bool CanPlan(TopologySnapshot topology) => topology.Ring.Members.Count > 0 && topology.HistoryKnown;

    // Starts waiting requests in arrival order while the node can plan and has free coordinator slots, each with what is
    // left of its timeout.
    private void StartWaiting()
    {
        if (_waiting.Count > 0 && CanPlan(_topology.Current))
        {
            var now = Context.System.Scheduler.Now;
            while (_waiting.Count > 0 && _live < _settings.MaxLiveCoordinators)
            {
                var waiting = _waiting.Dequeue();
                Start(waiting.Request, waiting.ReplyTo, waiting.Trace, waiting.Deadline - now);
            }
        }
        if (_waiting.Count == 0) Timers.Cancel(CheckWaiting.Instance);
    }

    // Answers the waiting requests whose time ran out: with the reason no plan is possible while the node cannot plan
    // (Start gives it), with OverloadedException while they waited for a slot.
    private void ExpireWaiting()
    {
        var canPlan = CanPlan(_topology.Current);
        var now = Context.System.Scheduler.Now;
        for (var i = _waiting.Count; i > 0; i--)
        {
            var waiting = _waiting.Dequeue();
            if (waiting.Deadline > now) _waiting.Enqueue(waiting);
            else if (canPlan) Refuse(waiting.Request, waiting.ReplyTo);
            else Start(waiting.Request, waiting.ReplyTo, waiting.Trace, TimeSpan.Zero);
        }
    }

    private void Refuse(IStoreRequest request, IActorRef replyTo) =>
        replyTo.Tell(new RequestFailed(request.CorrelationId, new OverloadedException(_settings.MaxLiveCoordinators)));

    private sealed class CheckWaiting
    {
        public static readonly CheckWaiting Instance = new();
    }

    private TimeSpan TimeoutOf(IStoreRequest request) => RequestTraits.Of(request).TimeoutOr(_settings);

    private void Start(IStoreRequest request, IActorRef replyTo, ActivityContext trace, TimeSpan timeout)
    {
        if (_live >= _settings.MaxLiveCoordinators)
        {
            Refuse(request, replyTo);
            return;
        }
        var topology = _topology.Current;
        var partition = _partitioner.PartitionOf(request.Key);
        var traits = RequestTraits.Of(request);
        // A write needs its quorum in every group of owners a moving partition has; a read in any one of them.
        QuorumRule? rule = traits.IsInspection ? null : traits.IsWrite ? QuorumRule.EveryGroup : QuorumRule.AnyGroup;
        // A request that waited has only the rest of its timeout; at least a moment, so one that ran out while the node
        // could not plan still gets its plan's verdict.
        var remaining = timeout > MinimumTimeout ? timeout : MinimumTimeout;
        var plan = RequestPlan.Create(topology, ++_nextRequestId, request.Key, partition, traits.Required(_settings), remaining, rule,
            traits.SloppyOr(_settings), HintStoreOf, _replies);
        if (trace != default) plan = plan with { Trace = trace };
        if (!plan.IsFeasible)
        {
            replyTo.Tell(new RequestFailed(request.CorrelationId,
                plan.Infeasible(traits.Operation, _settings.ReplicationFactor, topology.Ring.Members.Count)));
            return;
        }
        var props = request switch
        {
            GetRequest g => ReadCoordinator.Props(plan, g.CorrelationId, replyTo, _settings.SettleWindow, _metrics, topology.Self,
                _readLatencies),
            PutRequest p => WriteCoordinator.Props(plan, StoreOperation.Put, p.Value, (p.Context ?? CausalContext.Empty).Clock,
                _settings.MaxSiblings, topology.Self, p.CorrelationId, replyTo, _settings.SettleWindow, _hints, _clock),
            DeleteRequest d => WriteCoordinator.Props(plan, StoreOperation.Delete, null, (d.Context ?? CausalContext.Empty).Clock,
                _settings.MaxSiblings, topology.Self, d.CorrelationId, replyTo, _settings.SettleWindow, _hints, _clock),
            InspectRequest i => InspectCoordinator.Props(plan, i.CorrelationId, replyTo),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        // Counted down on the coordinator's CoordinatorStopped, which it sends however it stops (see Coordinator).
        Context.ActorOf(props);
        _live++;
    }

    private IActorRef HintStoreOf(Address node) =>
        node == _topology.Current.Self ? _hints : ((ExtendedActorSystem)Context.System).Provider.ResolveActorRef(Hints.HintStore.PathOn(node));

}
