using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Coordination;

/// <summary>Where one request goes: the reachable primaries of its key's partition and how many must answer.</summary>
internal sealed record RequestPlan(
    long RequestId,
    string Key,
    int Partition,
    IReadOnlyList<Address> Primaries,
    IReadOnlyList<(Address Node, IActorRef Host)> Targets,
    IReadOnlyList<Address> Unreachable,
    int Required,
    TimeSpan Timeout)
{
    public IReadOnlyList<Address> TargetNodes => Targets.Select(t => t.Node).ToArray();

    /// <summary>The plan for <paramref name="key"/>, or the reason no quorum is possible right now.</summary>
    public static RequestPlan Create(TopologySnapshot topology, long requestId, string key, int partition, int required, TimeSpan timeout)
    {
        var targets = new List<(Address, IActorRef)>();
        var unreachable = new List<Address>();
        var primaries = topology.Ring.PreferenceList(partition);
        foreach (var node in primaries)
        {
            if (topology.IsReachable(node) && topology.HostOf(node) is { } host) targets.Add((node, host));
            else unreachable.Add(node);
        }
        return new RequestPlan(requestId, key, partition, primaries, targets, unreachable, required, timeout);
    }

    /// <summary>True when enough replicas are reachable to try.</summary>
    public bool IsFeasible => Targets.Count >= Required;

    public QuorumNotReachedException Infeasible(StoreOperation operation, int replicationFactor, int members) =>
        new(operation, Key, Required, [], Unreachable.Select(a => a.ToString()).ToArray(),
            members < Required
                ? $"the cluster has {members} member(s) up and a quorum counts distinct nodes (replication-factor {replicationFactor})"
                : $"only {Targets.Count} of {Targets.Count + Unreachable.Count} replicas are reachable");
}
