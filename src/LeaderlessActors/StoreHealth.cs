using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors;

/// <summary>
/// Whether a node serves requests (<see cref="LeaderlessStore.Health"/>): in a cluster it is an Up member, in its own
/// ring (the store has seen it join), its replica host is registered, its storage has answered and it knows from its
/// peers which partitions are moving to new owners; alone, its storage
/// has answered. The node's <c>/health</c> and the Hosting package's health check report it.
/// </summary>
/// <param name="Ready">True when the node serves requests.</param>
/// <param name="Status">"up" when ready; "starting" before; "leaving" while it leaves or is downed; "stopped" after.</param>
/// <param name="Node">This node's address.</param>
/// <param name="Member">Its Akka.Cluster member status ("Up" for a node alone).</param>
/// <param name="RingMembers">Members in its ring.</param>
/// <param name="UnreachableMembers">Ring members it cannot reach.</param>
public sealed record StoreHealth(bool Ready, string Status, string Node, string Member, int RingMembers, int UnreachableMembers)
{
    internal static StoreHealth Of(ActorSystem system, LeaderlessStore store)
    {
        var topology = store.Topology.Current;
        var self = topology.Self;
        if (system.WhenTerminated.IsCompleted) return new StoreHealth(false, "stopped", self.ToString(), "Removed", 0, 0);
        var storageReady = store.StorageReady.IsCompletedSuccessfully;
        if (system is ExtendedActorSystem { Provider: not ClusterActorRefProvider })
            return new StoreHealth(storageReady, storageReady ? "up" : "starting", self.ToString(), "Up", topology.Ring.Members.Count, 0);
        var status = Cluster.Get(system).SelfMember.Status;
        var ready = status == MemberStatus.Up && topology.Ring.Members.Contains(self) && topology.HostOf(self) is not null && storageReady
                    && topology.HistoryKnown;
        var word = ready ? "up" : status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down ? "leaving" : "starting";
        return new StoreHealth(ready, word, self.ToString(), status.ToString(), topology.Ring.Members.Count, topology.Unreachable.Count);
    }
}
