using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// The cluster as this node sees it: Akka.Cluster members with their status and reachability, and the store's ring:
/// every ring node with its state (owner, joining, down, leaving), and for every partition its replicas (preference list,
/// first primary first) and which of them are reachable.
/// </summary>
internal sealed record ClusterView(string Self, string? Leader, IReadOnlyList<MemberView> Members, RingView Ring)
{
    public static ClusterView Of(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var state = cluster.State;
        var store = LeaderlessStore.Get(system);
        var ring = store.Ring;
        var replicationFactor = store.Settings.ReplicationFactor;
        var partitions = ring.PreferenceLists.Select((owners, p) =>
        {
            var replicas = owners.Select((node, index) => new ReplicaView(node.ToString(), index, ring.IsReachable(node))).ToArray();
            var reachable = replicas.Count(r => r.Reachable);
            return new PartitionView(p, replicas, reachable, reachable == replicationFactor);
        }).ToArray();
        var unreachable = state.Unreachable.Select(m => m.Address).ToHashSet();
        var members = state.Members.Select(m => new MemberView(m.Address.ToString(), m.Status.ToString(), m.Roles.ToArray(),
            !unreachable.Contains(m.Address), ring.Members.Contains(m.Address),
            partitions.Count(p => p.Replicas.Any(r => r.Node == m.Address.ToString())))).ToArray();
        var nodes = ring.States.OrderBy(kv => kv.Key.ToString(), StringComparer.Ordinal)
            .Select(kv => new RingNodeView(kv.Key.ToString(), kv.Value.ToString().ToLowerInvariant(), ring.IsReachable(kv.Key),
                partitions.Count(p => p.Replicas.Any(r => r.Node == kv.Key.ToString())))).ToArray();
        return new ClusterView(cluster.SelfAddress.ToString(), state.Leader?.ToString(), members,
            new RingView(partitions.Length, replicationFactor,
                ring.Members.Select(a => a.ToString()).Order(StringComparer.Ordinal).ToArray(),
                partitions.Count(p => !p.Healthy), partitions) { Nodes = nodes });
    }
}

/// <summary>A cluster member; <paramref name="Replicas"/> is how many partitions it holds a replica of.</summary>
internal sealed record MemberView(string Address, string Status, IReadOnlyList<string> Roles, bool Reachable, bool InRing, int Replicas);

internal sealed record RingView(int PartitionCount, int ReplicationFactor, IReadOnlyList<string> Members, int UnhealthyPartitions,
    IReadOnlyList<PartitionView> Partitions)
{
    /// <summary>Every node of the agreed ring that is not removed, with its ring state (owner, joining, down, leaving).</summary>
    public IReadOnlyList<RingNodeView> Nodes { get; init; } = [];
}

/// <summary>A node of the agreed ring: its <paramref name="State"/> there, whether this node reaches it, and how many
/// partitions it holds a replica of (a down owner keeps its partitions).</summary>
internal sealed record RingNodeView(string Node, string State, bool Reachable, int Replicas);

/// <summary>A partition is healthy when all N of its replicas are reachable.</summary>
internal sealed record PartitionView(int Partition, IReadOnlyList<ReplicaView> Replicas, int ReachableReplicas, bool Healthy);

internal sealed record ReplicaView(string Node, int ReplicaIndex, bool Reachable);
