using Akka.Actor;
using Akka.Cluster;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Membership;

internal sealed partial class MembershipWatcher
{
    /// <summary>The name under /system of every node's watcher: peers send their ring gossip there.</summary>
    public const string Name = "leaderless-membership";

    private static readonly Random Pick = new();

    private void OnGossip(RingGossip gossip)
    {
        var before = _ring;
        var merged = _ring.Merge(gossip.Entries);
        // A record of this node that says less than Akka does (an older incarnation marked down) is corrected at once.
        if (_members.TryGetValue(SelfNode, out var self) && ObservationOf(self.Status) is { } observed)
            merged = RingTransitions.Observe(merged, SelfNode, self.UniqueAddress.Uid, observed);
        Change(merged);
        var learnedNow = !_learned && !Sender.IsNobody() && !Sender.Equals(Self);
        _learned |= learnedNow;
        if (!Sender.IsNobody() && (gossip.WantsReply || !_ring.SameAs(RingState.Of(gossip.Entries))))
            Sender.Tell(new RingGossip(_ring.Entries.Values.ToArray(), WantsReply: false), Self);
        if (learnedNow || !ReferenceEquals(before, _ring)) Publish();
    }

    private void OnGossipTick()
    {
        var peers = OtherMembers().ToArray();
        // Until the ring is learned every member is asked; then one at random keeps the states in step.
        var targets = _learned ? peers.Length == 0 ? [] : [peers[Pick.Next(peers.Length)]] : peers;
        foreach (var peer in targets) PeerAt(peer).Tell(new RingGossip(_ring.Entries.Values.ToArray(), WantsReply: true), Self);
        RemoveLongDownOwners();
        LearnIfAlone();
        Publish();
    }

    /// <summary>A node that is Up with no other member around formed the cluster (or is all that is left of it): its own
    /// stored ring is the ring.</summary>
    private void LearnIfAlone()
    {
        if (_learned || !_members.TryGetValue(SelfNode, out var self) || self.Status != MemberStatus.Up) return;
        _learned = !OtherMembers().Any();
    }

    /// <summary>The other members that can answer gossip (every status but down).</summary>
    private IEnumerable<Address> OtherMembers() =>
        _members.Values.Where(m => m.Address != SelfNode && m.Status != MemberStatus.Down).Select(m => m.Address);

    private ActorSelection PeerAt(Address member) => Context.ActorSelection(new RootActorPath(member) / "system" / Name);
}
