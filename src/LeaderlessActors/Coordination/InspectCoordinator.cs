using Akka.Actor;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Collects every reachable replica's own state of a key, without merging or repairing anything, and answers once all
/// have replied or the timeout passes (listing the silent ones as missing).
/// </summary>
internal sealed class InspectCoordinator : Coordinator
{
    private readonly RequestPlan _plan;
    private readonly Guid _correlationId;
    private readonly IActorRef _replyTo;
    private readonly Dictionary<Address, KeyInspected> _answers = [];

    public InspectCoordinator(RequestPlan plan, Guid correlationId, IActorRef replyTo)
        : base(plan)
    {
        _plan = plan;
        _correlationId = correlationId;
        _replyTo = replyTo;
    }

    public static Props Props(RequestPlan plan, Guid correlationId, IActorRef replyTo) =>
        PropsOf(() => new InspectCoordinator(plan, correlationId, replyTo));

    protected override void PreStart()
    {
        foreach (var (_, host) in _plan.Targets) host.Tell(new InspectKey(_plan.RequestId, _plan.Partition, _plan.Key), ReplyAddress);
        DeadlineIn(_plan.Timeout);
        if (_plan.Targets.Count == 0) Reply();
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case KeyInspected i when i.RequestId == _plan.RequestId && _plan.Targets.Any(t => t.Node == i.Node):
                _answers[i.Node] = i;
                if (_answers.Count == _plan.Targets.Count) Reply();
                break;
            case Deadline:
                Reply();
                break;
        }
    }

    private void Reply()
    {
        var replicas = _plan.Primaries.Where(_answers.ContainsKey).Select(node =>
        {
            var a = _answers[node];
            var versions = a.State.Siblings.Select(s => new StoredVersion($"{s.Dot.Epoch:x16}:{s.Dot.Counter}", s.Value)).ToArray();
            return new ReplicaState(node.ToString(), a.Partition, _plan.Primaries.ToList().IndexOf(node), a.ReplicaEpoch.ToString("x16"),
                Contexts.ContextAuthority.Get(Context.System).Sign(a.State.Clock, _plan.Key), versions, a.RepairReason);
        }).ToArray();
        var missing = _plan.Primaries.Where(n => !_answers.ContainsKey(n)).Select(n => n.ToString()).ToArray();
        _replyTo.Tell(new InspectResponse(_correlationId, new KeyInspection(_plan.Key, _plan.Partition, replicas, missing)));
        Context.Stop(Self);
    }
}
