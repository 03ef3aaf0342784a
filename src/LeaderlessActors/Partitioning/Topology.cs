using System.Collections.Immutable;
using Akka.Actor;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// What a node knows about placement at one moment: the ring of the agreed owners, which of them are unreachable (the
/// failure detector flags them, or they are out of the cluster), and the cached reference to each owner's replica host. Immutable, so coordinators read it without locks.
/// </summary>
internal sealed record TopologySnapshot(
    Address Self,
    HashRing Ring,
    ImmutableHashSet<Address> Unreachable,
    ImmutableDictionary<Address, IActorRef> ReplicaHosts)
{
    /// <summary>The status in the agreed ring of every node that is not removed (joining, owner, down, leaving).</summary>
    public ImmutableDictionary<Address, RingMemberStatus> RingStates { get; init; } = ImmutableDictionary<Address, RingMemberStatus>.Empty;

    public bool IsReachable(Address node) => !Unreachable.Contains(node);

    public IActorRef? HostOf(Address node) => ReplicaHosts.GetValueOrDefault(node);
}

/// <summary>The node's current <see cref="TopologySnapshot"/>, replaced whole by the membership watcher.</summary>
internal sealed class Topology(TopologySnapshot initial)
{
    private volatile TopologySnapshot _current = initial;

    public TopologySnapshot Current => _current;

    public void Publish(TopologySnapshot snapshot) => _current = snapshot;
}
