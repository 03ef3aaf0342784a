using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Where a node takes requests: validates each one, plans it from the current topology, and starts a short-lived
/// coordinator for it, answering directly to the requester. Caps the coordinators alive at once, so a flood of requests
/// meets an explicit <see cref="OverloadedException"/> instead of unbounded memory.
/// </summary>
internal sealed class RequestGateway : UntypedActor
{
    public const string Name = "leaderless-gateway";

    private readonly LeaderlessSettings _settings;
    private readonly Topology _topology;
    private readonly KeyPartitioner _partitioner;
    private readonly RequestValidator _validator;
    // Confirms contexts signed with a generated secret this node has not learned yet; null when none can be learned.
    private readonly IActorRef? _secretSharing;
    private long _nextRequestId;
    private int _live;

    public RequestGateway(LeaderlessSettings settings, Topology topology, IActorRef? secretSharing)
    {
        _settings = settings;
        _topology = topology;
        _secretSharing = secretSharing;
        _partitioner = new KeyPartitioner(settings.PartitionCount);
        _validator = new RequestValidator(settings, Contexts.ContextAuthority.Get(Context.System));
    }

    public static Props Props(LeaderlessSettings settings, Topology topology, IActorRef? secretSharing) =>
        Akka.Actor.Props.Create(() => new RequestGateway(settings, topology, secretSharing));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case IStoreRequest request:
                Admit(request, Sender);
                break;
            case Contexts.ContextConfirmed confirmed:
                Admit(confirmed.Request, confirmed.ReplyTo);
                break;
            case Terminated:
                _live--;
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Admit(IStoreRequest request, IActorRef replyTo)
    {
        if (_validator.Check(request) is { } invalid)
        {
            if (invalid.UnverifiedContext is { } context && _secretSharing is not null)
                _secretSharing.Tell(new Contexts.ConfirmContext(request, context, replyTo, invalid, TimeoutOf(request)));
            else
                replyTo.Tell(new RequestFailed(request.CorrelationId, invalid));
            return;
        }
        Start(request, replyTo);
    }

    private TimeSpan TimeoutOf(IStoreRequest request) => request switch
    {
        GetRequest g => g.Options?.Timeout,
        PutRequest p => p.Options?.Timeout,
        DeleteRequest d => d.Options?.Timeout,
        InspectRequest i => i.Timeout,
        _ => null,
    } ?? _settings.RequestTimeout;

    private void Start(IStoreRequest request, IActorRef replyTo)
    {
        if (_live >= _settings.MaxLiveCoordinators)
        {
            replyTo.Tell(new RequestFailed(request.CorrelationId, new OverloadedException(_settings.MaxLiveCoordinators)));
            return;
        }
        var topology = _topology.Current;
        var partition = _partitioner.PartitionOf(request.Key);
        var (required, operation) = request switch
        {
            GetRequest g => (Required(g.Options?.Consistency ?? _settings.ReadConsistency), StoreOperation.Get),
            PutRequest p => (Required(p.Options?.Consistency ?? _settings.WriteConsistency), StoreOperation.Put),
            DeleteRequest d => (Required(d.Options?.Consistency ?? _settings.WriteConsistency), StoreOperation.Delete),
            InspectRequest => (0, StoreOperation.Get),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        var plan = RequestPlan.Create(topology, ++_nextRequestId, request.Key, partition, required, TimeoutOf(request));
        if (!plan.IsFeasible)
        {
            replyTo.Tell(new RequestFailed(request.CorrelationId,
                plan.Infeasible(operation, _settings.ReplicationFactor, topology.Ring.Members.Count)));
            return;
        }
        var props = request switch
        {
            GetRequest g => ReadCoordinator.Props(plan, g.CorrelationId, replyTo, _settings.SettleWindow),
            PutRequest p => WriteCoordinator.Props(plan, StoreOperation.Put, p.Value, (p.Context ?? CausalContext.Empty).Clock,
                _settings.MaxSiblings, topology.Self, p.CorrelationId, replyTo, _settings.SettleWindow),
            DeleteRequest d => WriteCoordinator.Props(plan, StoreOperation.Delete, null, (d.Context ?? CausalContext.Empty).Clock,
                _settings.MaxSiblings, topology.Self, d.CorrelationId, replyTo, _settings.SettleWindow),
            InspectRequest i => InspectCoordinator.Props(plan, i.CorrelationId, replyTo),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        Context.Watch(Context.ActorOf(props));
        _live++;
    }

    private int Required(Consistency consistency) => consistency.RequiredFor(_settings.ReplicationFactor);
}
