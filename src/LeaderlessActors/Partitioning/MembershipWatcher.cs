using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// Follows Akka.Cluster membership and reachability and publishes the node's topology. The ring changes only when
/// membership does (a member is up, or removed); a member that leaves, is downed or is unreachable keeps its place until
/// it is removed, so a flapping link never moves data. A member's replica host reference is resolved once, when it joins
/// the ring, and dropped when it is removed. Members and reachability are tracked per incarnation (unique address): one
/// gossip diff lists member events before removals, so a restarted node's new incarnation can be Up before the removal
/// of its old one arrives, and that removal must not take the node out of the ring.
/// </summary>
internal sealed class MembershipWatcher : UntypedActor
{
    private readonly Topology _topology;
    private readonly Func<IEnumerable<Address>, HashRing> _buildRing;
    private readonly Func<Address, IActorRef> _resolveHost;
    // The current incarnation of each member address.
    private readonly Dictionary<Address, UniqueAddress> _members = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];

    public MembershipWatcher(Topology topology, Func<IEnumerable<Address>, HashRing> buildRing, Func<Address, IActorRef> resolveHost)
    {
        _topology = topology;
        _buildRing = buildRing;
        _resolveHost = resolveHost;
    }

    public static Props Props(Topology topology, Func<IEnumerable<Address>, HashRing> buildRing, Func<Address, IActorRef> resolveHost) =>
        Akka.Actor.Props.Create(() => new MembershipWatcher(topology, buildRing, resolveHost));

    protected override void PreStart() =>
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));

    protected override void PostStop() => Cluster.Get(Context.System).Unsubscribe(Self);

    protected override void OnReceive(object message)
    {
        var membershipChanged = false;
        switch (message)
        {
            case ClusterEvent.MemberUp up:
                membershipChanged = !_members.ContainsKey(up.Member.Address);
                _members[up.Member.Address] = up.Member.UniqueAddress; // a restarted node's new incarnation replaces the old
                break;
            case ClusterEvent.MemberWeaklyUp:
                break; // not yet a full member: it gets replicas once it is Up
            case ClusterEvent.MemberRemoved removed:
                _unreachable.Remove(removed.Member.UniqueAddress);
                // Only the incarnation that is removed leaves; a newer one of the same address stays.
                membershipChanged = _members.TryGetValue(removed.Member.Address, out var incarnation) &&
                                    incarnation == removed.Member.UniqueAddress && _members.Remove(removed.Member.Address);
                break;
            case ClusterEvent.IMemberEvent e when e.Member.Status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down:
                // A member seen first in one of these states (we joined late) was Up before: it is still in the ring.
                membershipChanged = _members.TryAdd(e.Member.Address, e.Member.UniqueAddress);
                break;
            case ClusterEvent.UnreachableMember u:
                _unreachable.Add(u.Member.UniqueAddress);
                break;
            case ClusterEvent.ReachableMember r:
                _unreachable.Remove(r.Member.UniqueAddress);
                break;
            default:
                return;
        }
        var current = _topology.Current;
        var ring = membershipChanged ? _buildRing(_members.Keys) : current.Ring;
        var hosts = membershipChanged ? ResolveHosts(current.ReplicaHosts) : current.ReplicaHosts;
        _topology.Publish(current with { Ring = ring, ReplicaHosts = hosts, Unreachable = _unreachable.Select(u => u.Address).ToImmutableHashSet() });
    }

    private ImmutableDictionary<Address, IActorRef> ResolveHosts(ImmutableDictionary<Address, IActorRef> cached)
    {
        var builder = ImmutableDictionary.CreateBuilder<Address, IActorRef>();
        foreach (var member in _members.Keys)
            builder[member] = cached.TryGetValue(member, out var host) ? host : _resolveHost(member);
        return builder.ToImmutable();
    }
}
