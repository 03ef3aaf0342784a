using System.Collections.Immutable;
using LeaderlessActors.Membership;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors;

/// <summary>
/// What one node currently knows about placement, read-only: the owners of its ring (an owner stays in the ring while it
/// is down or unreachable, and leaves it only by a graceful leave or an operator's removal) and which of them it cannot
/// reach. For test harnesses, health checks and operators. <see cref="LeaderlessStore.Ring"/> gives the view of the
/// node's current topology: a view never changes, and reading the property again returns the same view until the
/// topology changes.
/// </summary>
/// <param name="Self">This node's address.</param>
/// <param name="Members">The owners of this node's ring, including unreachable and down ones.</param>
/// <param name="Unreachable">The owners this node cannot reach: flagged by its failure detector, or out of the cluster.</param>
public sealed record RingView(Address Self, IReadOnlySet<Address> Members, IReadOnlySet<Address> Unreachable)
{
    /// <summary>The status of every node the agreed ring knows and has not removed: owners (up, down or leaving) and
    /// joining nodes. Empty until this node has learned the ring.</summary>
    public IReadOnlyDictionary<Address, RingMemberStatus> States { get; init; } = new Dictionary<Address, RingMemberStatus>();

    /// <summary>The replicas of every partition, indexed by partition number (<c>leaderless.partition-count</c> of them):
    /// its preference list, first primary first. Each holds min(N, owners) owners; down and unreachable owners stay in
    /// it. Every list is empty until this node has learned the ring.</summary>
    public IReadOnlyList<IReadOnlyList<Address>> PreferenceLists { get; init; } = [];

    /// <summary>The partition <paramref name="key"/> lives in: its replicas are <c>PreferenceLists[PartitionOf(key)]</c>.
    /// Every node computes the same partition for a key.</summary>
    /// <exception cref="InvalidOperationException">The view has no partitions (it was not taken from a store).</exception>
    public int PartitionOf(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (PreferenceLists.Count == 0) throw new InvalidOperationException("This view has no partitions.");
        return new KeyPartitioner(PreferenceLists.Count).PartitionOf(key);
    }

    /// <summary>True when <paramref name="node"/> is not marked unreachable (it need not be a member).</summary>
    public bool IsReachable(Address node) => !Unreachable.Contains(node);

    // One view per topology snapshot (by reference: a snapshot made by `with` is another topology), built on first read:
    // a health check that reads the ring per request does not rebuild every partition's preference list each time.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<TopologySnapshot, RingView> Views = new();

    internal static RingView Of(TopologySnapshot topology) => Views.GetValue(topology, Build);

    private static RingView Build(TopologySnapshot topology) =>
        new(topology.Self, topology.Ring.Members.ToHashSet(), topology.Unreachable)
        {
            States = topology.RingStates,
            // Copies: the ring's own lists are arrays a caller could cast back and change.
            PreferenceLists = Enumerable.Range(0, topology.Ring.PartitionCount)
                .Select(p => (IReadOnlyList<Address>)topology.Ring.PreferenceList(p).ToImmutableArray()).ToImmutableArray(),
        };
}
