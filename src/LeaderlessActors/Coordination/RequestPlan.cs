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

    /// <summary>The nodes that stand in for unreachable owners in a sloppy write (see <see cref="FallbackSelection"/>), with
    /// their hint stores; empty for strict requests.</summary>
    public IReadOnlyList<Fallback> Fallbacks { get; init; } = [];

    /// <summary>The distinct nodes whose acknowledgements count toward W: reachable owners, then fallbacks.</summary>
    public IReadOnlyList<Address> WriteVoters => Fallbacks.Count == 0 ? TargetNodes : [.. TargetNodes, .. Fallbacks.Select(f => f.Node)];

    /// <summary>The plan for <paramref name="key"/>, or the reason no quorum is possible right now. A
    /// <paramref name="sloppy"/> plan adds fallbacks for unreachable owners, whose hint stores
    /// <paramref name="hintStoreOf"/> resolves.</summary>
    public static RequestPlan Create(TopologySnapshot topology, long requestId, string key, int partition, int required, TimeSpan timeout,
        bool sloppy = false, Func<Address, IActorRef>? hintStoreOf = null)
    {
        var targets = new List<(Address, IActorRef)>();
        var unreachable = new List<Address>();
        var primaries = topology.Ring.PreferenceList(partition);
        foreach (var node in primaries)
        {
            if (topology.IsReachable(node) && topology.HostOf(node) is { } host) targets.Add((node, host));
            else unreachable.Add(node);
        }
        var plan = new RequestPlan(requestId, key, partition, primaries, targets, unreachable, required, timeout);
        if (!sloppy || unreachable.Count == 0 || hintStoreOf is null) return plan;
        var fallbacks = FallbackSelection.Choose(topology.Ring.ClockwiseFrom(partition), primaries, unreachable,
            node => topology.IsReachable(node) && topology.HostOf(node) is not null);
        return plan with { Fallbacks = fallbacks.Select(f => new Fallback(f.Node, hintStoreOf(f.Node), f.StandsFor)).ToArray() };
    }

    /// <summary>True when enough replicas are reachable to try. A sloppy write also counts its fallbacks, but still needs one
    /// reachable owner to make its version.</summary>
    public bool IsFeasible => Targets.Count >= Required || (Targets.Count > 0 && Targets.Count + Fallbacks.Count >= Required);

    public QuorumNotReachedException Infeasible(StoreOperation operation, int replicationFactor, int members) =>
        new(operation, Key, Required, [], Unreachable.Select(a => a.ToString()).ToArray(),
            members < Required
                ? $"the cluster has {members} member(s) up and a quorum counts distinct nodes (replication-factor {replicationFactor})"
                : $"only {Targets.Count} of {Targets.Count + Unreachable.Count} replicas are reachable" +
                  (Fallbacks.Count > 0 ? $" and {Fallbacks.Count} fallback node(s) can stand in" : ""));
}

/// <summary>A node that stands in for the unreachable owner <paramref name="StandsFor"/> in a sloppy write: its hint store
/// keeps the write for that owner, and its acknowledgement counts toward W.</summary>
internal sealed record Fallback(Address Node, IActorRef HintStore, Address StandsFor);
