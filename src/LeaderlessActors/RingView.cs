using Akka.Actor;

namespace LeaderlessActors;

/// <summary>
/// What one node currently knows about placement, read-only: the members of its ring (a member stays in the ring while
/// it is down or unreachable, and leaves it only when it is removed) and which of them it cannot reach. For test
/// harnesses, health checks and operators; a new view is taken on every read of <see cref="LeaderlessStore.Ring"/>.
/// </summary>
/// <param name="Self">This node's address.</param>
/// <param name="Members">The members of this node's ring, including unreachable ones.</param>
/// <param name="Unreachable">The members this node's failure detector currently marks unreachable.</param>
public sealed record RingView(Address Self, IReadOnlySet<Address> Members, IReadOnlySet<Address> Unreachable)
{
    /// <summary>True when <paramref name="node"/> is not marked unreachable (it need not be a member).</summary>
    public bool IsReachable(Address node) => !Unreachable.Contains(node);
}
