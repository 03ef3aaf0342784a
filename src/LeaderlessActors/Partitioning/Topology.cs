using System.Collections.Immutable;
using Akka.Actor;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// What a node knows about placement at one moment: the ring from current membership, which members are unreachable,
/// and the cached reference to each member's replica host. Immutable, so coordinators read it without locks.
/// </summary>
internal sealed record TopologySnapshot(
    Address Self,
    HashRing Ring,
    ImmutableHashSet<Address> Unreachable,
    ImmutableDictionary<Address, IActorRef> ReplicaHosts)
{
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
