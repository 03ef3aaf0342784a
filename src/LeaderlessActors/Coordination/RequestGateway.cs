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
    private long _nextRequestId;
    private int _live;

    public RequestGateway(LeaderlessSettings settings, Topology topology)
    {
        _settings = settings;
        _topology = topology;
        _partitioner = new KeyPartitioner(settings.PartitionCount);
        _validator = new RequestValidator(settings, Contexts.ContextAuthority.Get(Context.System));
    }

    public static Props Props(LeaderlessSettings settings, Topology topology) =>
        Akka.Actor.Props.Create(() => new RequestGateway(settings, topology));

    protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ => Directive.Stop);

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case IStoreRequest request:
                Start(request);
                break;
            case Terminated:
                _live--;
                break;
            default:
                Unhandled(message);
                break;
        }
    }

    private void Start(IStoreRequest request)
    {
        if (_validator.Check(request) is { } invalid)
        {
            Sender.Tell(new RequestFailed(request.CorrelationId, invalid));
            return;
        }
        if (_live >= _settings.MaxLiveCoordinators)
        {
            Sender.Tell(new RequestFailed(request.CorrelationId, new OverloadedException(_settings.MaxLiveCoordinators)));
            return;
        }
        var topology = _topology.Current;
        var partition = _partitioner.PartitionOf(request.Key);
        var (required, timeout, operation) = request switch
        {
            GetRequest g => (Required(g.Options?.Consistency ?? _settings.ReadConsistency), g.Options?.Timeout, StoreOperation.Get),
            PutRequest p => (Required(p.Options?.Consistency ?? _settings.WriteConsistency), p.Options?.Timeout, StoreOperation.Put),
            DeleteRequest d => (Required(d.Options?.Consistency ?? _settings.WriteConsistency), d.Options?.Timeout, StoreOperation.Delete),
            InspectRequest i => (0, i.Timeout, StoreOperation.Get),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        var rule = request switch { GetRequest => QuorumRule.AnyGroup, InspectRequest => (QuorumRule?)null, _ => QuorumRule.EveryGroup };
        var plan = RequestPlan.Create(topology, ++_nextRequestId, request.Key, partition, required, timeout ?? _settings.RequestTimeout, rule);
        if (!plan.IsFeasible)
        {
            Sender.Tell(new RequestFailed(request.CorrelationId,
                plan.Infeasible(operation, _settings.ReplicationFactor, topology.Ring.Members.Count)));
            return;
        }
        var props = request switch
        {
            GetRequest g => ReadCoordinator.Props(plan, g.CorrelationId, Sender, _settings.SettleWindow),
            PutRequest p => WriteCoordinator.Props(plan, StoreOperation.Put, p.Value, (p.Context ?? CausalContext.Empty).Clock,
                _settings.MaxSiblings, topology.Self, p.CorrelationId, Sender, _settings.SettleWindow),
            DeleteRequest d => WriteCoordinator.Props(plan, StoreOperation.Delete, null, (d.Context ?? CausalContext.Empty).Clock,
                _settings.MaxSiblings, topology.Self, d.CorrelationId, Sender, _settings.SettleWindow),
            InspectRequest i => InspectCoordinator.Props(plan, i.CorrelationId, Sender),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
        Context.Watch(Context.ActorOf(props));
        _live++;
    }

    private int Required(Consistency consistency) => consistency.RequiredFor(_settings.ReplicationFactor);
}
