using LeaderlessActors.Membership;
using LeaderlessActors.Diagnostics;
using System.Diagnostics;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Where a node takes requests: validates each one, plans it from the current topology, and starts a short-lived
/// coordinator for it, answering directly to the requester. Caps the coordinators alive at once, so a flood of requests
/// meets an explicit <see cref="OverloadedException"/> instead of unbounded memory. A request that arrives before the node
/// can plan any (its ring is not known yet, or it is still learning from its peers which partitions move) waits for that,
/// up to its own timeout, instead of failing: an application that starts a node and writes at once is served.
/// </summary>
internal sealed class RequestGateway : UntypedActor, IWithTimers
{
    // How often waiting requests look at the topology again.
    private static readonly TimeSpan WaitingCheckInterval = TimeSpan.FromMilliseconds(50);

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
    private readonly StoreMetrics _metrics;
    // The store's clock, which write coordinators stamp the hints they leave with.
    private readonly TimeProvider _clock;
    private int _live;

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
    }

    public static Props Props(LeaderlessSettings settings, Topology topology, IActorRef? secretSharing, StoreMetrics metrics, IActorRef? hints = null,
        TimeProvider? clock = null) =>
        Akka.Actor.Props.Create(() => new RequestGateway(settings, topology, secretSharing, metrics, hints, clock));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

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
                break;
            case CheckWaiting:
                StartWaiting();
                break;
            default:
                Unhandled(message);
                break;
        }
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
        if (!CanPlan(_topology.Current) && _waiting.Count < _settings.MaxLiveCoordinators)
        {
            _waiting.Enqueue((request, replyTo, trace, Context.System.Scheduler.Now + TimeoutOf(request)));
            if (!Timers.IsTimerActive(CheckWaiting.Instance))
                Timers.StartPeriodicTimer(CheckWaiting.Instance, CheckWaiting.Instance, WaitingCheckInterval);
            return;
        }
        Start(request, replyTo, trace);
    }

    // A clustered node has no ring before the membership watcher publishes the agreed one, and plans nothing while it
    // does not yet know which partitions move; every plan would be refused as infeasible meanwhile.
    private static bool CanPlan(TopologySnapshot topology) => topology.Ring.Members.Count > 0 && topology.HistoryKnown;

    // Starts the waiting requests once the node can plan, and those whose time ran out (Start then refuses them with the
    // reason no plan is possible).
    private void StartWaiting()
    {
        var ready = CanPlan(_topology.Current);
        var now = Context.System.Scheduler.Now;
        for (var i = _waiting.Count; i > 0; i--)
        {
            var waiting = _waiting.Dequeue();
            if (ready || waiting.Deadline <= now) Start(waiting.Request, waiting.ReplyTo, waiting.Trace);
            else _waiting.Enqueue(waiting);
        }
        if (_waiting.Count == 0) Timers.Cancel(CheckWaiting.Instance);
    }

    private sealed class CheckWaiting
    {
        public static readonly CheckWaiting Instance = new();
    }

    private TimeSpan TimeoutOf(IStoreRequest request) => request switch
    {
        GetRequest g => g.Options?.Timeout,
        PutRequest p => p.Options?.Timeout,
        DeleteRequest d => d.Options?.Timeout,
        InspectRequest i => i.Timeout,
        _ => null,
    } ?? _settings.RequestTimeout;

    private void Start(IStoreRequest request, IActorRef replyTo, ActivityContext trace)
    {
        if (_live >= _settings.MaxLiveCoordinators)
        {
            replyTo.Tell(new RequestFailed(request.CorrelationId, new OverloadedException(_settings.MaxLiveCoordinators)));
            return;
        }
        var topology = _topology.Current;
        var partition = _partitioner.PartitionOf(request.Key);
        // The request classified once: how many replicas, which kind, how owner sets count, and whether it is sloppy.
        var (required, operation, rule, sloppy) = request switch
        {
            GetRequest g => (Required(g.Options?.Consistency ?? _settings.ReadConsistency), StoreOperation.Get, QuorumRule.AnyGroup, false),
            PutRequest p => (Required(p.Options?.Consistency ?? _settings.WriteConsistency), StoreOperation.Put, QuorumRule.EveryGroup,
                p.Options?.SloppyQuorum ?? _settings.Hints.SloppyQuorum),
            DeleteRequest d => (Required(d.Options?.Consistency ?? _settings.WriteConsistency), StoreOperation.Delete, QuorumRule.EveryGroup,
                d.Options?.SloppyQuorum ?? _settings.Hints.SloppyQuorum),
            InspectRequest => (0, StoreOperation.Get, (QuorumRule?)null, false),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        var plan = RequestPlan.Create(topology, ++_nextRequestId, request.Key, partition, required, TimeoutOf(request), rule, sloppy, HintStoreOf);
        if (trace != default) plan = plan with { Trace = trace };
        if (!plan.IsFeasible)
        {
            replyTo.Tell(new RequestFailed(request.CorrelationId,
                plan.Infeasible(operation, _settings.ReplicationFactor, topology.Ring.Members.Count)));
            return;
        }
        var props = request switch
        {
            GetRequest g => ReadCoordinator.Props(plan, g.CorrelationId, replyTo, _settings.SettleWindow, _metrics),
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

    private int Required(Consistency consistency) => consistency.RequiredFor(_settings.ReplicationFactor);
}
