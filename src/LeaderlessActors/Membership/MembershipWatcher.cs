using System.Collections.Immutable;
using Akka.Actor;
using Akka.Cluster;
using Akka.Event;
using Akka.Remote;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Membership;

/// <summary>
/// Keeps this node's copy of the agreed ring (<see cref="RingState"/>) and publishes the node's topology from it. Akka
/// membership is turned into ring changes by <see cref="RingTransitions"/>: a member that is Up becomes an owner, a
/// completed graceful leave takes it out, a downing only marks it down, so failure detection never moves a partition.
/// The state is kept in the node's journal (<see cref="RingStateStore"/>) and spread to the other members by gossip;
/// the topology is published only once the node has recovered its state and learned the ring from a peer (or is the only
/// member), so a node that joins late never serves with a ring of its own making. Members and reachability are tracked
/// per incarnation (unique address): one gossip diff lists member events before removals, so a restarted node's new
/// incarnation can be Up before the removal of its old one arrives, and that removal must not mark the node down.
/// </summary>
internal sealed partial class MembershipWatcher : UntypedActor, IWithUnboundedStash, IWithTimers
{
    private readonly Topology _topology;
    private readonly Func<IEnumerable<Address>, HashRing> _buildRing;
    private readonly Func<Address, IActorRef> _resolveHost;
    private readonly RingSettings _settings;
    private readonly Props _storeProps;
    private readonly StoreMetrics _metrics;
    private readonly ILoggingAdapter _log = Context.GetLogger();
    // The current incarnation of each member address, with its status.
    private readonly Dictionary<Address, Member> _members = [];
    private readonly HashSet<UniqueAddress> _unreachable = [];
    private RingState _ring = RingState.Empty;
    private IActorRef _store = ActorRefs.Nobody;
    private bool _recovered;
    // Whether the ring was learned from a peer, or this node found itself the only member: only then it serves.
    private bool _learned;

    public MembershipWatcher(Topology topology, Func<IEnumerable<Address>, HashRing> buildRing, Func<Address, IActorRef> resolveHost,
        RingSettings settings, Props storeProps, StoreMetrics metrics)
    {
        _topology = topology;
        _buildRing = buildRing;
        _resolveHost = resolveHost;
        _settings = settings;
        _storeProps = storeProps;
        _metrics = metrics;
    }

    public IStash Stash { get; set; } = null!;

    public ITimerScheduler Timers { get; set; } = null!;

    // storeProps: the RingStateStore that keeps the state in the node's journal.
    public static Props Props(Topology topology, Func<IEnumerable<Address>, HashRing> buildRing, Func<Address, IActorRef> resolveHost,
        RingSettings settings, Props storeProps, StoreMetrics metrics) =>
        Akka.Actor.Props.Create(() => new MembershipWatcher(topology, buildRing, resolveHost, settings, storeProps, metrics));

    private Address SelfNode => _topology.Current.Self;

    protected override void PreStart()
    {
        StartStore();
        Timers.StartPeriodicTimer(GossipTick.Instance, GossipTick.Instance, _settings.GossipInterval);
        Cluster.Get(Context.System).Subscribe(Self, ClusterEvent.InitialStateAsEvents,
            typeof(ClusterEvent.IMemberEvent), typeof(ClusterEvent.IReachabilityEvent));
        Context.System.EventStream.Subscribe(Self, typeof(DisassociatedEvent));
        Context.System.EventStream.Subscribe(Self, typeof(AssociatedEvent));
    }

    protected override void PostStop()
    {
        Cluster.Get(Context.System).Unsubscribe(Self);
        Context.System.EventStream.Unsubscribe(Self);
    }

    protected override void OnReceive(object message)
    {
        switch (message)
        {
            case RingStateStore.Recovered recovered:
                OnRecovered(recovered);
                return;
            case Terminated terminated when terminated.ActorRef.Equals(_store):
                // A storage failure stopped the store; until it is back, changes are kept in memory and gossiped.
                _log.Warning("Keeping the ring state stopped (storage failure); trying again in {0}.", _settings.StorageRetryInterval);
                _store = ActorRefs.Nobody;
                Timers.StartSingleTimer(RestartStore.Instance, RestartStore.Instance, _settings.StorageRetryInterval);
                return;
            case RestartStore:
                StartStore();
                return;
            case GossipTick when _recovered:
                OnGossipTick();
                return;
            case GossipTick:
                return;
        }
        // Cluster events, gossip and removals wait for the recovered state: a change made on an empty state would lose
        // against the stored one.
        if (!_recovered)
        {
            Stash.Stash();
            return;
        }
        switch (message)
        {
            case ClusterEvent.IMemberEvent e:
                Observe(e);
                break;
            case ClusterEvent.UnreachableMember u:
                if (_unreachable.Add(u.Member.UniqueAddress)) _metrics.MemberMarkedUnreachable();
                break;
            case ClusterEvent.ReachableMember r:
                _unreachable.Remove(r.Member.UniqueAddress);
                break;
            case DisassociatedEvent or AssociatedEvent or ConnectionSuspicionExpired:
                if (!OnConnectionEvent(message)) return;
                break;
            case RingGossip gossip:
                OnGossip(gossip);
                return;
            case RemoveFromRing remove:
                OnRemove(remove);
                return;
            default:
                Unhandled(message);
                return;
        }
        LearnIfAlone();
        Publish();
    }

    private void StartStore()
    {
        _store = Context.ActorOf(_storeProps, "ring-state");
        Context.Watch(_store);
    }

    private void OnRecovered(RingStateStore.Recovered recovered)
    {
        if (_recovered)
        {
            // A restarted store recovered an older state than the one in memory: keep the current one.
            _store.Tell(new RingStateStore.Keep(_ring.Entries.Values.ToArray()));
            return;
        }
        _ring = RingState.Of(recovered.Entries);
        _recovered = true;
        Stash.UnstashAll();
    }

    private void Observe(ClusterEvent.IMemberEvent e)
    {
        var member = e.Member;
        var current = _members.GetValueOrDefault(member.Address);
        if (e is ClusterEvent.MemberRemoved removed)
        {
            _unreachable.Remove(member.UniqueAddress);
            // Only the incarnation that is current counts; the removal of an older one says nothing about the node.
            if (current is not null && !current.UniqueAddress.Equals(member.UniqueAddress)) return;
            _members.Remove(member.Address);
            Change(RingTransitions.Observe(_ring, member.Address, member.UniqueAddress.Uid,
                removed.PreviousStatus == MemberStatus.Exiting ? ObservedMembership.Left : ObservedMembership.Down));
            return;
        }
        _members[member.Address] = member; // a restarted node's new incarnation replaces the old
        if (ObservationOf(member.Status) is { } observed)
            Change(RingTransitions.Observe(_ring, member.Address, member.UniqueAddress.Uid, observed));
    }

    private static ObservedMembership? ObservationOf(MemberStatus status) => status switch
    {
        MemberStatus.Joining or MemberStatus.WeaklyUp => ObservedMembership.Joining,
        MemberStatus.Up => ObservedMembership.Up,
        MemberStatus.Leaving or MemberStatus.Exiting => ObservedMembership.Leaving,
        MemberStatus.Down => ObservedMembership.Down,
        _ => null,
    };

    /// <summary>Adopts <paramref name="next"/>: keeps it in the journal and sends it to every other member.</summary>
    private void Change(RingState next)
    {
        if (ReferenceEquals(next, _ring)) return;
        _ring = next;
        _store.Tell(new RingStateStore.Keep(_ring.Entries.Values.ToArray()));
        foreach (var peer in OtherMembers()) PeerAt(peer).Tell(new RingGossip(_ring.Entries.Values.ToArray(), WantsReply: false), Self);
    }

    /// <summary>Whether the current incarnation at <paramref name="node"/> is a member this node can reach.</summary>
    private bool IsReachableMember(Address node) =>
        _members.TryGetValue(node, out var member) && member.Status != MemberStatus.Down && !_unreachable.Contains(member.UniqueAddress);

    private void Publish()
    {
        if (!_learned) return;
        var current = _topology.Current;
        var owners = _ring.Owners.ToImmutableHashSet();
        var ringChanged = !owners.SetEquals(current.Ring.Members);
        var ring = ringChanged ? _buildRing(owners) : current.Ring;
        var hosts = ringChanged || current.ReplicaHosts.Count != owners.Count ? ResolveHosts(owners, current.ReplicaHosts) : current.ReplicaHosts;
        // An owner out of the cluster (crashed, downed) is unreachable as much as one the failure detector flags.
        var unreachable = owners.Where(o => o != SelfNode && !IsReachableMember(o))
            .Concat(_unreachable.Select(u => u.Address)).ToImmutableHashSet();
        var states = _ring.Entries.Values.Where(e => e.Status != RingMemberStatus.Removed)
            .ToImmutableDictionary(e => e.Node, e => e.Status);
        var disconnected = owners.Where(_disconnected.Contains).ToImmutableHashSet();
        _topology.Publish(current with
        {
            Ring = ring, ReplicaHosts = hosts, Unreachable = unreachable, RingStates = states,
            Disconnected = disconnected.SetEquals(current.Disconnected) ? current.Disconnected : disconnected,
        });
    }

    private ImmutableDictionary<Address, IActorRef> ResolveHosts(IEnumerable<Address> owners, ImmutableDictionary<Address, IActorRef> cached)
    {
        var builder = ImmutableDictionary.CreateBuilder<Address, IActorRef>();
        foreach (var owner in owners)
            builder[owner] = cached.TryGetValue(owner, out var host) ? host : _resolveHost(owner);
        return builder.ToImmutable();
    }

    private sealed record GossipTick
    {
        public static readonly GossipTick Instance = new();
    }

    private sealed record RestartStore
    {
        public static readonly RestartStore Instance = new();
    }
}
