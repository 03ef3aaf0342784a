using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// The cluster as this node sees it: Akka.Cluster members with their status and reachability, and the store's ring:
/// for every partition its replicas (preference list, first primary first) and which of them are reachable.
/// </summary>
internal sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberView> Members, RingView Ring)
{
    public static ClusterView Of(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var topology = LeaderlessStore.Get(system).Topology.Current;
        var ring = topology.Ring;
        var partitions = Enumerable.Range(0, ring.PartitionCount).Select(p =>
        {
            var replicas = ring.PreferenceList(p)
                .Select((node, index) => new ReplicaView(node.ToString(), index, topology.IsReachable(node))).ToArray();
            var reachable = replicas.Count(r => r.Reachable);
            return new PartitionView(p, replicas, reachable, reachable == ring.ReplicationFactor);
        }).ToArray();
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), m.Roles.ToArray(),
            !unreachable.Contains(m.Address), ring.Members.Contains(m.Address),
            partitions.Count(p => p.Replicas.Any(r => r.Node == m.Address.ToString())))).ToArray();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members,
            new RingView(ring.PartitionCount, ring.ReplicationFactor, ring.Members.Select(a => a.ToString()).ToArray(),
                partitions.Count(p => !p.Healthy), partitions));
    }
}

/// <summary>A cluster member; <paramref name="Replicas"/> is how many partitions it holds a replica of.</summary>
internal sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool InRing, int Replicas);

internal sealed record RingView(int PartitionCount, int ReplicationFactor, IReadOnlyList<string> Members, int UnhealthyPartitions,
    IReadOnlyList<PartitionView> Partitions);

/// <summary>A partition is healthy when all N of its replicas are reachable.</summary>
internal sealed record PartitionView(int Partition, IReadOnlyList<ReplicaView> Replicas, int ReachableReplicas, bool Healthy);

internal sealed record ReplicaView(string Node, int ReplicaIndex, bool Reachable);
