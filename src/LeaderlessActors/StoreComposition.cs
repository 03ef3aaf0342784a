using System.Collections.Immutable;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using LeaderlessActors.Coordination;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Hints;
using LeaderlessActors.Membership;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Storage;

namespace LeaderlessActors;

/// <summary>
/// The one place that builds a node's store: validated settings fitted to the remote frame, storage plugins, the
/// topology, the replica host, membership, hints, the request gateway and anti-entropy, wired to each other.
/// <see cref="LeaderlessStore"/> is only the API over what this builds.
/// </summary>
internal sealed class StoreComposition
{
    // Akka.Remote's own default for maximum-frame-size.
    private const long AkkaRemoteDefaultFrameBytes = 128000;

    public StoreComposition(ExtendedActorSystem system, IMeterFactory? meterFactory, TimeProvider? clock)
    {
        Clock = clock ?? TimeProvider.System;
        var settings = LeaderlessSettings.Create(system.Settings.Config); // reads reference.conf's defaults as its fallback
        var clustered = system.Provider is ClusterActorRefProvider;
        Settings = clustered ? FrameBudget.Fit(TransportFrameBytes(system), settings) : settings;

        var self = clustered ? Cluster.Get(system).SelfAddress : system.Provider.DefaultAddress;
        Node = self.ToString();
        Metrics = new StoreMetrics(Node, meterFactory, Clock);
        // The store lives as long as its system: an extension is never disposed on its own.
        system.RegisterOnTermination(Metrics.Dispose);
        Storage = StoragePlugins.For(Settings.Storage, self);
        // One injection for reference.conf and the node's storage plugins: each InjectTopLevelFallback rebuilds the
        // system's whole merged config, measured at 0.3 to 5 s a call on this 2-core machine, paid per node started.
        system.Settings.InjectTopLevelFallback(Storage.PluginConfig.WithFallback(LeaderlessConfig.Default()));
        var storageReady = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        StorageReady = storageReady.Task;
        HashRing BuildRing(IEnumerable<Address> members) =>
            new(members, Settings.PartitionCount, Settings.ReplicationFactor, Settings.VirtualNodesPerMember);
        Topology = new Topology(new TopologySnapshot(self, BuildRing([]), [], ImmutableDictionary<Address, IActorRef>.Empty));
        RepairThrottle = new RepairThrottle(Settings.AntiEntropy.RepairBytesPerSecond, Clock);
        var host = system.SystemActorOf(ReplicaHost.Props(Settings, self, Storage, Topology, storageReady, Metrics, RepairThrottle, Clock), ReplicaHost.Name);
        CleanShutdown.Register(system, host);
        IActorRef ResolveHost(Address member) => member == self
            ? host
            : system.Provider.ResolveActorRef(new RootActorPath(member) / "system" / ReplicaHost.Name);

        // Without clustering this node is the whole ring; in a cluster the membership watcher builds it from members.
        if (clustered)
            Membership = system.SystemActorOf(MembershipWatcher.Props(Topology, BuildRing, ResolveHost, Settings.Ring,
                RingStateStore.Props(Storage.JournalPluginId, Storage.SnapshotPluginId), Metrics), MembershipWatcher.Name);
        else
            Topology.Publish(new TopologySnapshot(self, BuildRing([self]), [], ImmutableDictionary<Address, IActorRef>.Empty.Add(self, host)));
        var contexts = Contexts.ContextAuthority.Get(system);
        var secretSharing = clustered && !contexts.IsConfigured
            ? system.SystemActorOf(Contexts.ContextSecretSharing.Props(contexts, Settings.MaxLiveCoordinators), Contexts.ContextSecretSharing.Name)
            : null;
        Hints = Settings.Hints.Enabled
            ? system.SystemActorOf(HintStore.Supervised(Settings.Hints, self, Topology, Storage.JournalPluginId, Storage.SnapshotPluginId, Metrics), HintStore.Name)
            : ActorRefs.Nobody;
        Gateway = system.SystemActorOf(RequestGateway.Props(Settings, Topology, secretSharing, Metrics, Hints, Clock), RequestGateway.Name);
        if (clustered && Settings.AntiEntropy.Enabled)
            AntiEntropy.AntiEntropyDaemon.Start(system, Settings, Topology, RepairThrottle, AntiEntropyStatus, Metrics);
    }

    public LeaderlessSettings Settings { get; }

    /// <summary>This node's address, as the metrics and traces name it.</summary>
    public string Node { get; }

    public TimeProvider Clock { get; }

    public StoreMetrics Metrics { get; }

    public StoragePlugins Storage { get; }

    public Task StorageReady { get; }

    public Topology Topology { get; }

    public RepairThrottle RepairThrottle { get; }

    public AntiEntropy.AntiEntropyStatus AntiEntropyStatus { get; } = new();

    /// <summary>The membership watcher; null without clustering.</summary>
    public IActorRef? Membership { get; }

    public IActorRef Hints { get; }

    public IActorRef Gateway { get; }

    /// <summary>
    /// The frame size the remote transports run with, from their own settings: they read it when the system started,
    /// and the system's config may since have gained reference.conf's fallback frame, which they never saw.
    /// </summary>
    private static long TransportFrameBytes(ExtendedActorSystem system) =>
        ((IRemoteActorRefProvider)system.Provider).RemoteSettings.Transports
            .Select(transport => transport.Config.GetByteSize("maximum-frame-size", null) ?? AkkaRemoteDefaultFrameBytes)
            .DefaultIfEmpty(AkkaRemoteDefaultFrameBytes)
            .Min();
}
