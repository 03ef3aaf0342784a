using LeaderlessActors.Membership;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Akka.Serialization;
using LeaderlessActors.Coordination;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Hints;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Storage;

namespace LeaderlessActors;

/// <summary>
/// The store, as an extension of an <see cref="ActorSystem"/>: <c>LeaderlessStore.Get(system)</c> starts this node's
/// replicas and request gateway on first use, configured from HOCON under <c>leaderless</c>. In a cluster
/// (<c>akka.actor.provider = cluster</c>) every member that starts the store holds replicas; without clustering the
/// store runs on this node alone (set <c>leaderless.replication-factor = 1</c>).
/// </summary>
public sealed class LeaderlessStore : IExtension, ILeaderlessStore
{
    // Akka.Remote's own default for maximum-frame-size.
    private const long AkkaRemoteDefaultFrameBytes = 128000;

    private readonly TimeSpan _askGrace = TimeSpan.FromSeconds(2);
    private readonly IActorRef? _membership;

    private readonly ExtendedActorSystem _system;
    private readonly ReplyReceiver _replies;
    // This node's address, as the metrics and traces name it.
    private readonly string _node;

    internal LeaderlessStore(ExtendedActorSystem system, IMeterFactory? meterFactory = null, TimeProvider? clock = null)
    {
        _system = system;
        _replies = new ReplyReceiver(system.Provider);
        Clock = clock ?? TimeProvider.System;
        Settings = LeaderlessSettings.Create(system.Settings.Config); // reads reference.conf's defaults as its fallback
        var clustered = system.Provider is Akka.Cluster.ClusterActorRefProvider;
        if (clustered) Settings = FitToFrame(system, Settings);

        var self = clustered ? Cluster.Get(system).SelfAddress : system.Provider.DefaultAddress;
        _node = self.ToString();
        Metrics = new StoreMetrics(_node, meterFactory, Clock);
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
        if (!clustered)
            Topology.Publish(new TopologySnapshot(self, BuildRing([self]), [], ImmutableDictionary<Address, IActorRef>.Empty.Add(self, host)));
        if (clustered)
            _membership = system.SystemActorOf(MembershipWatcher.Props(Topology, BuildRing, ResolveHost, Settings.Ring,
                RingStateStore.Props(Storage.JournalPluginId, Storage.SnapshotPluginId)), MembershipWatcher.Name);
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

    /// <summary>The store of <paramref name="system"/>, started on first call.</summary>
    public static LeaderlessStore Get(ActorSystem system) => system.WithExtension<LeaderlessStore, LeaderlessStoreProvider>();

    /// <summary>The validated settings this node runs with.</summary>
    public LeaderlessSettings Settings { get; }

    /// <summary>This store's metrics: its own meter, tagged with this node's address (see <see cref="StoreMetrics"/>).</summary>
    public StoreMetrics Metrics { get; }

    /// <summary>
    /// The actor-message form of the API: send <see cref="GetRequest"/>, <see cref="PutRequest"/>,
    /// <see cref="DeleteRequest"/> or <see cref="InspectRequest"/>; the reply (a response record or
    /// <see cref="RequestFailed"/>) goes to the sender with the request's correlation id.
    /// </summary>
    public IActorRef Gateway { get; }

    /// <summary>
    /// Completes once this node's storage has answered: a first replica recovered from the journal. Requests made before
    /// are served too, but may wait for the journal to open; a host's readiness check should include this.
    /// </summary>
    public Task StorageReady { get; }

    /// <summary>This node's current view of the ring and of reachability (a snapshot; read again for a newer one).</summary>
    public RingView Ring
    {
        get => RingView.Of(Topology.Current);
    }

    /// <summary>
    /// An operator's removal of a dead owner from the ring: its partitions get new owners among the remaining nodes. Only
    /// a node this node cannot reach (crashed, downed, cut off) is removed; an unreachable member Akka has not downed yet
    /// is downed first. Removing a node already removed changes nothing. A removed node that starts again at the same
    /// address joins as a new owner.
    /// </summary>
    /// <param name="node">The node, as <c>host:port</c> or as its full Akka address.</param>
    /// <param name="cancellationToken">Cancels the wait for the answer (the removal may still happen).</param>
    /// <returns>This node's view of the ring after the removal.</returns>
    /// <exception cref="RingRemovalRefusedException">The node is reachable, is this node, is not in the ring, or the text
    /// names no node; the ring did not change.</exception>
    /// <exception cref="InvalidOperationException">The store runs without clustering: there is no ring to remove from.</exception>
    public async Task<RingView> RemoveFromRingAsync(string node, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(node);
        if (_membership is null) throw new InvalidOperationException("The store runs without clustering: it has no ring to remove nodes from.");
        var answer = await _membership.Ask<RingRemovalAnswer>(new RemoveFromRing(node), Settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
        return answer.View ?? throw answer.Refusal!;
    }

    /// <summary>Whether this node serves requests now, and why not (a snapshot; read again for a newer one).</summary>
    public StoreHealth Health => StoreHealth.Of(_system, this);
    /// <summary>The partitions this node knows to be moving to new owners, with the progress of their fill (empty when
    /// none moves). A snapshot; read again for a newer one.</summary>
    public IReadOnlyList<PartitionHandoff> Handoffs =>
        Topology.Current.History.Moves.OrderBy(m => m.Key).Select(m => new PartitionHandoff(m.Key, m.Value.Owners,
            m.Value.Sources.OrderBy(a => a.ToString(), StringComparer.Ordinal).ToArray(),
            m.Value.Pending.Where(n => !m.Value.Filled.Contains(n)).ToArray(), m.Value.Pending.Where(m.Value.Filled.Contains).ToArray())).ToArray();

    internal Topology Topology { get; }

    /// <summary>The one clock of this store's timestamps and elapsed times outside the actors' scheduled timers: request
    /// durations, hint ages, anti-entropy ages, the repair throttle, the replicas' tombstone grace and resync pacing.</summary>
    internal TimeProvider Clock { get; }

    /// <summary>This node's hint store (<see cref="ActorRefs.Nobody"/> when hints are off).</summary>
    internal IActorRef Hints { get; }

    internal StoragePlugins Storage { get; }

    /// <summary>The one throttle of this node's background repair traffic.</summary>
    internal RepairThrottle RepairThrottle { get; }

    /// <summary>What the anti-entropy workers on this node did.</summary>
    internal AntiEntropy.AntiEntropyStatus AntiEntropyStatus { get; } = new();

    /// <summary>Reads <paramref name="key"/> from R replicas (default <c>leaderless.read-consistency</c>).</summary>
    /// <exception cref="InvalidRequestException">Bad key or options; nothing was sent.</exception>
    /// <exception cref="QuorumNotReachedException">Fewer than R replicas answered.</exception>
    /// <exception cref="OverloadedException">The node has too many requests in flight.</exception>
    public async Task<ReadResult> GetAsync(string key, ReadOptions? options = null, CancellationToken cancellationToken = default)
    {
        var response = await Ask<GetResponse>(new GetRequest(Guid.NewGuid(), key, options), options?.Timeout, cancellationToken).ConfigureAwait(false);
        return response.Result;
    }

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="key"/>, replacing the versions <paramref name="context"/> has
    /// seen (none when null: the value then becomes a sibling of any existing ones). Acknowledged once W replicas
    /// (default <c>leaderless.write-consistency</c>) stored it durably.
    /// </summary>
    /// <exception cref="InvalidRequestException">Bad key, value or options; nothing was stored.</exception>
    /// <exception cref="QuorumNotReachedException">W was not met; <see cref="WriteOutcomeUnknownException"/> when some
    /// replica may have stored the write.</exception>
    /// <exception cref="SiblingLimitExceededException">The key has too many siblings; nothing was stored.</exception>
    /// <exception cref="OverloadedException">The node has too many requests in flight.</exception>
    public async Task<WriteResult> PutAsync(string key, byte[] value, CausalContext? context = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var response = await Ask<WriteResponse>(new PutRequest(Guid.NewGuid(), key, value, context, options), options?.Timeout, cancellationToken).ConfigureAwait(false);
        return response.Result;
    }

    /// <summary>Deletes <paramref name="key"/> by writing a tombstone over the versions <paramref name="context"/> has seen.
    /// Versions written concurrently survive as values. Fails like <see cref="PutAsync"/>.</summary>
    public async Task<WriteResult> DeleteAsync(string key, CausalContext? context = null, WriteOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var response = await Ask<WriteResponse>(new DeleteRequest(Guid.NewGuid(), key, context, options), options?.Timeout, cancellationToken).ConfigureAwait(false);
        return response.Result;
    }

    /// <summary>
    /// Each reachable replica's own state of <paramref name="key"/>, unmerged and unrepaired: for tests, convergence
    /// checks and operators. Replicas that do not answer within the timeout are listed as missing.
    /// </summary>
    public async Task<KeyInspection> InspectAsync(string key, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var response = await Ask<InspectResponse>(new InspectRequest(Guid.NewGuid(), key, timeout), timeout, cancellationToken).ConfigureAwait(false);
        return response.Inspection;
    }

    private async Task<T> Ask<T>(IStoreRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var started = Clock.GetTimestamp();
        var operation = request switch { GetRequest => "get", PutRequest => "put", DeleteRequest => "delete", _ => "inspect" };
        using var span = RequestSpan.Start(request, Settings, _node);
        try
        {
            var answer = await AskGateway(request, span?.Context ?? default, timeout, cancellationToken).ConfigureAwait(false);
            var result = answer switch
            {
                T ok => ok,
                RequestFailed failed => throw failed.Error,
                _ => throw new InvalidOperationException($"Unexpected answer {answer.GetType().Name} to {request.GetType().Name}."),
            };
            Completed(operation, result is GetResponse { Result.Found: false } ? "not_found" : "ok", started, span, error: null);
            return result;
        }
        catch (Exception e) when (Completed(operation, StoreMetrics.OutcomeOf(e), started, span, e))
        {
            throw; // not reached: the filter only records
        }
    }

    // A traced request carries its span's context to the gateway, which hands it to the coordinator.
    private async Task<object> AskGateway(IStoreRequest request, ActivityContext trace, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var wait = (timeout ?? Settings.RequestTimeout) + _askGrace;
        try
        {
            // The coordinator always answers by its own deadline; this timeout is only a safety net behind it.
            object message = trace == default ? request : new TracedRequest(request, trace);
            return await _replies.Ask(Gateway, request, message, wait, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Only a starved node misses the coordinator's own deadline by the grace period. A write may still have
            // been stored, so the caller gets the same typed answer as any quorum miss, never an untyped timeout.
            var reason = $"no answer from this node's coordinator within {wait.TotalMilliseconds:0} ms (the node is overloaded)";
            throw request switch
            {
                PutRequest p => new WriteOutcomeUnknownException(StoreOperation.Put, p.Key, Required(p.Options?.Consistency, Settings.WriteConsistency), [], [], reason),
                DeleteRequest d => new WriteOutcomeUnknownException(StoreOperation.Delete, d.Key, Required(d.Options?.Consistency, Settings.WriteConsistency), [], [], reason),
                GetRequest g => new QuorumNotReachedException(StoreOperation.Get, g.Key, Required(g.Options?.Consistency, Settings.ReadConsistency), [], [], reason),
                _ => new QuorumNotReachedException(StoreOperation.Get, request.Key, 0, [], [], reason),
            };
        }
    }

    private int Required(Consistency? requested, Consistency fallback) => (requested ?? fallback).RequiredFor(Settings.ReplicationFactor);

    // Records the request's end in the metrics and on its span; false, so that as an exception filter it only records.
    private bool Completed(string operation, string outcome, long started, Activity? span, Exception? error)
    {
        Metrics.RequestCompleted(operation, outcome, started);
        if (span is not null) RequestSpan.Completed(span, outcome, error);
        return false;
    }

    /// <summary>Checks the limits against the remote frame the transports run with and resolves those derived from it
    /// (see <see cref="FrameBudget"/>).</summary>
    private static LeaderlessSettings FitToFrame(ExtendedActorSystem system, LeaderlessSettings settings) =>
        FrameBudget.Fit(TransportFrameBytes(system), settings);

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
