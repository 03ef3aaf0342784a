using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// Whether this node serves requests: it is an Up member of the cluster, it is in its own ring (the store has seen it
/// join), its replica host is registered, its storage has answered, and it knows from its peers which partitions are
/// moving to new owners (it refuses requests before).
/// </summary>
internal sealed record NodeHealth(bool Ready, string Status, string Node, string Member, int RingMembers, int UnreachableMembers)
{
    public static NodeHealth Of(ActorSystem system)
    {
        var cluster = Cluster.Get(system);
        var self = cluster.SelfAddress;
        if (system.WhenTerminated.IsCompleted) return new NodeHealth(false, "stopped", self.ToString(), "Removed", 0, 0);
        var store = LeaderlessStore.Get(system);
        var topology = store.Topology.Current;
        var status = cluster.SelfMember.Status;
        var ready = status == MemberStatus.Up && topology.Ring.Members.Contains(self) && topology.HostOf(self) is not null
                    && store.StorageReady.IsCompletedSuccessfully && topology.HistoryKnown;
        var word = ready ? "up" : status is MemberStatus.Leaving or MemberStatus.Exiting or MemberStatus.Down ? "leaving" : "starting";
        return new NodeHealth(ready, word, self.ToString(), status.ToString(), topology.Ring.Members.Count, topology.Unreachable.Count);
    }
}
