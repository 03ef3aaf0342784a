using LeaderlessActors.Membership;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Akka.Actor;
using LeaderlessActors.Coordination;
using LeaderlessActors.Diagnostics;
using LeaderlessActors.Replication;
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
    private readonly TimeSpan _askGrace = TimeSpan.FromSeconds(2);
    private readonly ExtendedActorSystem _system;
    private readonly StoreComposition _parts;
    private readonly ReplyReceiver _replies;

    internal LeaderlessStore(ExtendedActorSystem system, IMeterFactory? meterFactory = null, TimeProvider? clock = null)
    {
        _system = system;
        _replies = new ReplyReceiver(system.Provider);
        _parts = new StoreComposition(system, meterFactory, clock);
    }

    /// <summary>The store of <paramref name="system"/>, started on first call.</summary>
    public static LeaderlessStore Get(ActorSystem system) => system.WithExtension<LeaderlessStore, LeaderlessStoreProvider>();

    /// <summary>The validated settings this node runs with.</summary>
    public LeaderlessSettings Settings => _parts.Settings;

    /// <summary>This store's metrics: its own meter, tagged with this node's address (see <see cref="StoreMetrics"/>).</summary>
    public StoreMetrics Metrics => _parts.Metrics;

    /// <summary>
    /// The actor-message form of the API: send <see cref="GetRequest"/>, <see cref="PutRequest"/>,
    /// <see cref="DeleteRequest"/> or <see cref="InspectRequest"/>; the reply (a response record or
    /// <see cref="RequestFailed"/>) goes to the sender with the request's correlation id.
    /// </summary>
    public IActorRef Gateway => _parts.Gateway;

    /// <summary>
    /// Completes once this node's storage has answered: a first replica recovered from the journal. Requests made before
    /// are served too, but may wait for the journal to open; a host's readiness check should include this.
    /// </summary>
    public Task StorageReady => _parts.StorageReady;

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
        if (_parts.Membership is not { } membership) throw new InvalidOperationException("The store runs without clustering: it has no ring to remove nodes from.");
        var answer = await membership.Ask<RingRemovalAnswer>(new RemoveFromRing(node), Settings.RequestTimeout, cancellationToken).ConfigureAwait(false);
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

    internal Topology Topology => _parts.Topology;

    /// <summary>The one clock of this store's timestamps and elapsed times outside the actors' scheduled timers: request
    /// durations, hint ages, anti-entropy ages, the repair throttle, the replicas' tombstone grace and resync pacing.</summary>
    internal TimeProvider Clock => _parts.Clock;

    /// <summary>This node's hint store (<see cref="ActorRefs.Nobody"/> when hints are off).</summary>
    internal IActorRef Hints => _parts.Hints;

    internal StoragePlugins Storage => _parts.Storage;

    /// <summary>The one throttle of this node's background repair traffic.</summary>
    internal RepairThrottle RepairThrottle => _parts.RepairThrottle;

    /// <summary>What the anti-entropy workers on this node did.</summary>
    internal AntiEntropy.AntiEntropyStatus AntiEntropyStatus => _parts.AntiEntropyStatus;

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
        using var span = RequestSpan.Start(request, Settings, _parts.Node);
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
}
