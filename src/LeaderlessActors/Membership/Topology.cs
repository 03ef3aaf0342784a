using System.Collections.Immutable;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Membership;

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
    /// <summary>The partitions whose owners changed and are not yet all filled (see <see cref="OwnershipHistory{TPeer}"/>).
    /// Kept by <see cref="Topology"/>: a snapshot handed to <see cref="Topology.Publish"/> brings none of its own.</summary>
    public OwnershipHistory<Address> History { get; init; } = OwnershipHistory<Address>.Empty;

    /// <summary>False from this node's first ring with other members until a peer shared the moves it knows (or
    /// <c>leaderless.handoff.history-wait</c> passed): a node that joined or restarted after a change cannot tell a filled
    /// owner from one that is not before then, so it coordinates no reads or writes.</summary>
    public bool HistoryKnown { get; init; } = true;

    /// <summary>Nodes whose remoting connection failed and has not been made again (Akka.Remote's disassociated and
    /// associated events). For the seconds after a crash the failure detector has not flagged such a node yet, but
    /// remoting drops what is sent to it: a write is not handed to it to coordinate while another target is connected.</summary>
    public ImmutableHashSet<Address> Disconnected { get; init; } = ImmutableHashSet<Address>.Empty;

    public bool IsReachable(Address node) => !Unreachable.Contains(node);

    public IActorRef? HostOf(Address node) => ReplicaHosts.GetValueOrDefault(node);
}

/// <summary>
/// The node's current <see cref="TopologySnapshot"/>, replaced whole by the membership watcher. Every ring it publishes
/// is compared with the one before, so the ownership history sees each change of a partition's owners, whatever its
/// cause; the handoff updates that history in between (<see cref="UpdateHistory"/>).
/// </summary>
internal sealed class Topology(TopologySnapshot initial)
{
    private readonly object _gate = new();
    private volatile TopologySnapshot _current = initial;

    public TopologySnapshot Current => _current;

    /// <summary>Called after a ring change is published (on the publisher's thread): the handoff reacts at once rather
    /// than at its next look.</summary>
    public Action? RingChanged { get; set; }

    public void Publish(TopologySnapshot snapshot)
    {
        bool ringChanged;
        lock (_gate)
        {
            var previous = _current;
            ringChanged = !ReferenceEquals(previous.Ring, snapshot.Ring);
            var (history, known) = (previous.History, previous.HistoryKnown);
            // Only a change this node saw as a member is a move: the rings it builds while it learns the membership (its
            // peers coming up one by one before it is up itself) are no owner sets anybody wrote to through it.
            var member = previous.Ring.Members.Contains(snapshot.Self);
            if (ringChanged && member)
                history = history.Advance(previous.Ring.PreferenceList, snapshot.Ring.PreferenceList, snapshot.Ring.PartitionCount,
                    snapshot.Ring.Members.ToHashSet());
            // A first ring of its own with peers in it (a join or restart): what moved before, the peers know.
            else if (!member && snapshot.Ring.Members.Contains(snapshot.Self) && snapshot.Ring.Members.Any(m => m != snapshot.Self))
                known = false;
            _current = snapshot with { History = history, HistoryKnown = known };
        }
        if (ringChanged) RingChanged?.Invoke();
    }

    /// <summary>A peer shared the moves it knows (or waiting for one is over).</summary>
    public void HistoryLearned()
    {
        lock (_gate) _current = _current with { HistoryKnown = true };
    }

    /// <summary>Replaces the ownership history with <paramref name="change"/> of the current one.</summary>
    public void UpdateHistory(Func<TopologySnapshot, OwnershipHistory<Address>> change)
    {
        lock (_gate) _current = _current with { History = change(_current) };
    }
}
