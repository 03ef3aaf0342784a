using LeaderlessActors.Membership;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors;

/// <summary>
/// What one node currently knows about placement, read-only: the owners of its ring (an owner stays in the ring while it
/// is down or unreachable, and leaves it only by a graceful leave or an operator's removal) and which of them it cannot
/// reach. For test harnesses, health checks and operators; a new view is taken on every read of
/// <see cref="LeaderlessStore.Ring"/>.
/// </summary>
/// <param name="Self">This node's address.</param>
/// <param name="Members">The owners of this node's ring, including unreachable and down ones.</param>
/// <param name="Unreachable">The owners this node cannot reach: flagged by its failure detector, or out of the cluster.</param>
public sealed record RingView(Address Self, IReadOnlySet<Address> Members, IReadOnlySet<Address> Unreachable)
{
    /// <summary>The status of every node the agreed ring knows and has not removed: owners (up, down or leaving) and
    /// joining nodes. Empty until this node has learned the ring.</summary>
    public IReadOnlyDictionary<Address, RingMemberStatus> States { get; init; } = new Dictionary<Address, RingMemberStatus>();

    /// <summary>True when <paramref name="node"/> is not marked unreachable (it need not be a member).</summary>
    public bool IsReachable(Address node) => !Unreachable.Contains(node);

    internal static RingView Of(TopologySnapshot topology) =>
        new(topology.Self, topology.Ring.Members.ToHashSet(), topology.Unreachable) { States = topology.RingStates };
}
