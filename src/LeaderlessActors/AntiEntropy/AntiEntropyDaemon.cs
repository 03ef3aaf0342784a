using LeaderlessActors.Membership;
using Akka.Actor;
using Akka.Cluster.Sharding;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;

namespace LeaderlessActors.AntiEntropy;

/// <summary>
/// Starts this node's part of the cluster-wide anti-entropy workers: Akka.Cluster.Sharding's ShardedDaemonProcess keeps
/// <c>leaderless.anti-entropy.workers</c> workers alive, each on one member, and starts a worker again on another member
/// when its node is removed. Every node that runs the store takes part (the daemon process needs every member to host
/// its sharding region), so workers can land on any node; the keep-alive interval is Akka's
/// <c>akka.cluster.sharded-daemon-process.keep-alive-interval</c>.
/// </summary>
internal static class AntiEntropyDaemon
{
    public const string Name = "leaderless-anti-entropy";

    public static void Start(ActorSystem system, LeaderlessSettings settings, Topology topology, RepairThrottle throttle, AntiEntropyStatus status,
        Diagnostics.StoreMetrics metrics)
    {
        ClusterSharding.Get(system); // loads sharding's defaults, which the daemon process settings read
        ShardedDaemonProcess.Get(system).Init(Name, settings.AntiEntropy.Workers,
            index => AntiEntropyWorker.Props(index, topology, settings, throttle, status, metrics),
            ShardedDaemonProcessSettings.Create(system), AntiEntropyWorker.Stop.Instance);
    }
}
