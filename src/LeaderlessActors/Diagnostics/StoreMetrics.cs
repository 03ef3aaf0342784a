using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace LeaderlessActors.Diagnostics;

/// <summary>
/// The store's instruments, on the <see cref="System.Diagnostics.Metrics.Meter"/> named <see cref="MeterName"/>: collect
/// them with any listener of <c>System.Diagnostics.Metrics</c> (OpenTelemetry's <c>AddMeter("LeaderlessActors")</c>, a
/// <see cref="MeterListener"/>, <c>dotnet-counters</c>). Each store has its own meter, tagged <see cref="NodeTag"/> with
/// its node's address (<see cref="Meter"/>'s <c>Tags</c>), so several stores in one process report apart; a listener that
/// wants one store's figures matches <c>instrument.Meter</c> against <see cref="LeaderlessStore.Metrics"/>'s
/// <see cref="Meter"/>. The meter is made by the <see cref="IMeterFactory"/> the store was started with (see
/// <see cref="LeaderlessStoreProvider(IMeterFactory)"/>; Akka.Hosting's <c>WithLeaderlessStore</c> passes the container's),
/// else created and disposed by the store, which disposes it when its ActorSystem terminates.
/// <list type="bullet">
/// <item><c>leaderless.requests</c> (counter) and <c>leaderless.request.duration</c> (histogram, seconds): requests made
/// through <see cref="LeaderlessStore"/>'s async API, tagged <c>operation</c> (get, put, delete, inspect) and
/// <c>outcome</c> (ok, not_found, invalid, quorum_not_reached, outcome_unknown, overloaded, sibling_limit, timeout,
/// cancelled, error).</item>
/// <item><c>leaderless.requests.coordinating</c> and <c>leaderless.requests.waiting</c>: requests this node coordinates
/// now (at most <c>leaderless.max-live-coordinators</c>; a coordinator counts until its replicas answered or its settle
/// window ended), and requests waiting for a slot or for the node to be able to plan (at most
/// <c>leaderless.max-queued-requests</c>). A waiting count that stays up means clients send faster than the replicas
/// keep up.</item>
/// <item><c>leaderless.read_repairs</c>: repair writes sent by read coordinators to stale replicas.</item>
/// <item><c>leaderless.siblings_seen</c>: reads that answered with more than one concurrent value.</item>
/// <item><c>leaderless.reads.hedged</c>: reads that asked R replicas first and then the rest (see
/// <c>leaderless.read-hedging</c>), tagged <c>trigger</c>: <c>delay</c> (R votes were not in after the hedge delay) or
/// <c>replica</c> (an asked replica failed, answered without a vote, or could not take the answer).</item>
/// <item><c>leaderless.replicas.needing_repair</c>: replicas of this node that lost their history (or have not yet
/// checked with their peers after starting without one) and are not yet repaired.</item>
/// <item><c>leaderless.replicas.history_lost</c>: times a replica found its history damaged or lost and started over.</item>
/// <item><c>leaderless.replicas.epochs_renewed</c>: times a replica started without a clean stop behind it and took a new
/// epoch, keeping its data and vote.</item>
/// <item><c>leaderless.resync.keys_received</c>: keys received from peers by replicas syncing with them.</item>
/// <item><c>leaderless.hints.pending</c>: hints held for owners that did not acknowledge a write (one per owner and key).</item>
/// <item><c>leaderless.hints.replayed</c>: hints an owner acknowledged after a replay (and that were then deleted).</item>
/// <item><c>leaderless.hints.dropped</c>: hints dropped because the backlog for their owner was full
/// (<c>leaderless.hints.max-per-target</c>); anti-entropy repairs those keys.</item>
/// <item><c>leaderless.hints.oldest_age</c> (seconds): how long the oldest held hint has waited; 0 when none is held.</item>
/// <item><c>leaderless.anti_entropy.exchanges</c>: anti-entropy exchanges run by this node's workers, tagged
/// <c>outcome</c> (completed, failed).</item>
/// <item><c>leaderless.anti_entropy.keys_repaired</c> and <c>leaderless.anti_entropy.bytes</c>: keys those exchanges
/// repaired, and the bytes they moved (hashes, leaf entries, key states read and sent).</item>
/// <item><c>leaderless.anti_entropy.last_exchange_age</c> (gauge, seconds): per partition (tag <c>partition</c>), how long
/// ago this node's workers last completed an exchange of it; partitions never exchanged here are not reported.</item>
/// <item><c>leaderless.tombstones.collected</c>: tombstones replicas dropped once every owner held them past the grace
/// period.</item>
/// <item><c>leaderless.clocks.pruned</c>: key clocks replicas pruned of epochs no live version carries, once every owner
/// held the same state past the grace period.</item>
/// <item><c>leaderless.handoff.fills_started</c> and <c>leaderless.handoff.fills_completed</c>: times a replica became a
/// new owner of its partition and began filling from every earlier owner, and times such a fill completed.</item>
/// </list>
/// All but the first two are observed totals, so they are reported (as 0) before anything happened.
/// </summary>
public sealed class StoreMetrics
{
    /// <summary>The name of the store's meter: "LeaderlessActors".</summary>
    public const string MeterName = "LeaderlessActors";

    /// <summary>The meter's tag naming the store's node (its Akka address): "leaderless.node".</summary>
    public const string NodeTag = "leaderless.node";

    // A factory's meter is the factory's to dispose (IMeterFactory's contract); a meter of its own the store disposes.
    private readonly bool _ownsMeter;
    // The store's clock: request durations, hint ages and exchange ages are all read from it.
    private readonly TimeProvider _clock;
    private readonly Counter<long> _requests;
    private readonly Histogram<double> _duration;

    private long _readRepairs;
    private long _siblingsSeen;
    private long _hedgedSlow, _hedgedByReplica;
    private long _replicasNeedingRepair;
    private long _historyLost;
    private long _epochsRenewed;
    private long _resyncKeysReceived;
    private long _hintsPending;
    private long _hintsReplayed;
    private long _hintsDropped;
    // The oldest hint of each hint store actor of the node (a restarted actor is a new key), for the oldest-age gauge.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<object, DateTime> _oldestHints = new();
    private long _exchangesCompleted;
    private long _exchangesFailed;
    private long _keysRepaired;
    private long _antiEntropyBytes;
    private long _tombstonesCollected;
    private long _clocksPruned;
    private int _coordinating, _waitingRequests;
    // Per partition, the timestamp of its last completed exchange on this node.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, long> _lastExchange = new();
    private long _handoffsStarted;
    private long _handoffsCompleted;
    private long _straysReleased;
    private long _membersMarkedUnreachable;

    /// <summary>The instruments of the store of <paramref name="node"/>, on a meter from <paramref name="meterFactory"/>
    /// (a new one when null).</summary>
    internal StoreMetrics(string node, IMeterFactory? meterFactory, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        var options = new MeterOptions(MeterName)
        {
            Version = typeof(StoreMetrics).Assembly.GetName().Version?.ToString(),
            Tags = [new KeyValuePair<string, object?>(NodeTag, node)],
        };
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(options) ?? new Meter(options);
        _requests = Meter.CreateCounter<long>("leaderless.requests", "{request}", "Requests by operation and outcome.");
        _duration = Meter.CreateHistogram<double>("leaderless.request.duration", "s",
            "Time from a request to its answer, by operation and outcome.", tags: null, advice: new InstrumentAdvice<double>
            {
                HistogramBucketBoundaries = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
            });
        CreateObservedTotals();
    }

    /// <summary>This store's meter, tagged <see cref="NodeTag"/>.</summary>
    public Meter Meter { get; }

    private void CreateObservedTotals()
    {
        Meter.CreateObservableUpDownCounter("leaderless.requests.coordinating", () => Volatile.Read(ref _coordinating), "{request}",
            "Requests this node coordinates now (at most leaderless.max-live-coordinators).");
        Meter.CreateObservableUpDownCounter("leaderless.requests.waiting", () => Volatile.Read(ref _waitingRequests), "{request}",
            "Requests waiting for a coordinator slot or for the node to be able to plan (at most leaderless.max-queued-requests).");
        Meter.CreateObservableCounter("leaderless.read_repairs", () => Volatile.Read(ref _readRepairs), "{repair}",
            "Repair writes sent to stale replicas by read coordinators.");
        Meter.CreateObservableCounter("leaderless.siblings_seen", () => Volatile.Read(ref _siblingsSeen), "{read}",
            "Reads that answered with more than one concurrent value.");
        Meter.CreateObservableCounter("leaderless.reads.hedged", () => new[]
        {
            new Measurement<long>(Volatile.Read(ref _hedgedSlow), new KeyValuePair<string, object?>("trigger", "delay")),
            new Measurement<long>(Volatile.Read(ref _hedgedByReplica), new KeyValuePair<string, object?>("trigger", "replica")),
        }, "{read}", "Reads that asked R replicas first and then the others, by what made them hedge.");
        Meter.CreateObservableUpDownCounter("leaderless.replicas.needing_repair", () => Volatile.Read(ref _replicasNeedingRepair),
            "{replica}", "Replicas that lost their history, or have not yet checked with their peers, and are not yet repaired.");
        Meter.CreateObservableCounter("leaderless.replicas.history_lost", () => Volatile.Read(ref _historyLost), "{event}",
            "Times a replica found its history damaged or lost and started over as a new epoch.");
        Meter.CreateObservableCounter("leaderless.replicas.epochs_renewed", () => Volatile.Read(ref _epochsRenewed), "{event}",
            "Times a replica started without a clean stop behind it and took a new epoch, keeping its data and vote.");
        Meter.CreateObservableCounter("leaderless.resync.keys_received", () => Volatile.Read(ref _resyncKeysReceived), "{key}",
            "Keys received from peers by replicas syncing with them.");
        Meter.CreateObservableUpDownCounter("leaderless.hints.pending", () => Volatile.Read(ref _hintsPending), "{hint}",
            "Hints held for owners that did not acknowledge a write.");
        Meter.CreateObservableCounter("leaderless.hints.replayed", () => Volatile.Read(ref _hintsReplayed), "{hint}",
            "Hints replayed to their owner and acknowledged.");
        Meter.CreateObservableCounter("leaderless.hints.dropped", () => Volatile.Read(ref _hintsDropped), "{hint}",
            "Hints dropped because the backlog for their owner was full.");
        Meter.CreateObservableGauge("leaderless.hints.oldest_age", OldestHintAgeSeconds, "s",
            "How long the oldest held hint has waited (0 when none is held).");
        Meter.CreateObservableCounter("leaderless.anti_entropy.exchanges", () => new[]
        {
            new Measurement<long>(Volatile.Read(ref _exchangesCompleted), new KeyValuePair<string, object?>("outcome", "completed")),
            new Measurement<long>(Volatile.Read(ref _exchangesFailed), new KeyValuePair<string, object?>("outcome", "failed")),
        }, "{exchange}", "Anti-entropy exchanges run by this process's workers, by outcome.");
        Meter.CreateObservableCounter("leaderless.anti_entropy.keys_repaired", () => Volatile.Read(ref _keysRepaired), "{key}",
            "Keys anti-entropy exchanges repaired.");
        Meter.CreateObservableCounter("leaderless.anti_entropy.bytes", () => Volatile.Read(ref _antiEntropyBytes), "By",
            "Bytes anti-entropy exchanges moved: hashes, leaf entries, key states read and sent.");
        Meter.CreateObservableCounter("leaderless.tombstones.collected", () => Volatile.Read(ref _tombstonesCollected), "{key}",
            "Tombstones replicas dropped once every owner held them past the grace period.");
        Meter.CreateObservableCounter("leaderless.clocks.pruned", () => Volatile.Read(ref _clocksPruned), "{key}",
            "Key clocks replicas pruned of epochs no live version carries, once every owner held the state past the grace period.");
        Meter.CreateObservableGauge("leaderless.anti_entropy.last_exchange_age", () => _lastExchange.Select(e =>
                new Measurement<double>(_clock.GetElapsedTime(e.Value).TotalSeconds, new KeyValuePair<string, object?>("partition", e.Key))),
            "s", "Per partition, how long ago this process's workers last completed an anti-entropy exchange of it.");
        Meter.CreateObservableCounter("leaderless.handoff.fills_started", () => Volatile.Read(ref _handoffsStarted), "{fill}",
            "Times a replica became a new owner of its partition and began filling from every earlier owner.");
        Meter.CreateObservableCounter("leaderless.handoff.fills_completed", () => Volatile.Read(ref _handoffsCompleted), "{fill}",
            "Times a new owner's fill from every earlier owner completed.");
        Meter.CreateObservableCounter("leaderless.handoff.strays_released", () => Volatile.Read(ref _straysReleased), "{copy}",
            "Copies of partitions their node does not own and saw no move of, dropped after every owner stored their keys.");
        Meter.CreateObservableCounter("leaderless.members.marked_unreachable", () => Volatile.Read(ref _membersMarkedUnreachable),
            "{event}", "Times this node's failure detector marked a cluster member unreachable. Growing while every node is up " +
            "means heartbeats arrive late: the node (or the member) is starved of CPU or its links are saturated.");
    }

    /// <summary>Ends the meter's instruments, when the store's ActorSystem terminated; a meter from a factory is left to
    /// the factory.</summary>
    internal void Dispose()
    {
        if (_ownsMeter) Meter.Dispose();
    }

    /// <summary>Records a request that started at <paramref name="startTimestamp"/> (the store clock's <c>GetTimestamp</c>).</summary>
    internal void RequestCompleted(string operation, string outcome, long startTimestamp)
    {
        var tags = new TagList { { "operation", operation }, { "outcome", outcome } };
        _requests.Add(1, tags);
        _duration.Record(_clock.GetElapsedTime(startTimestamp).TotalSeconds, tags);
    }

    /// <summary>The outcome tag of a request that failed with <paramref name="error"/>.</summary>
    internal static string OutcomeOf(Exception error) => error switch
    {
        InvalidRequestException => "invalid",
        WriteOutcomeUnknownException => "outcome_unknown",
        QuorumNotReachedException => "quorum_not_reached",
        OverloadedException => "overloaded",
        SiblingLimitExceededException => "sibling_limit",
        Akka.Actor.AskTimeoutException => "timeout",
        OperationCanceledException => "cancelled",
        _ => "error",
    };

    internal void ReadRepairSent() => Interlocked.Increment(ref _readRepairs);

    internal void SiblingsSeen() => Interlocked.Increment(ref _siblingsSeen);

    internal void ReadHedged(bool slow) => Interlocked.Increment(ref slow ? ref _hedgedSlow : ref _hedgedByReplica);

    internal void ReplicasNeedingRepairChanged(long delta) => Interlocked.Add(ref _replicasNeedingRepair, delta);

    internal void HistoryLost() => Interlocked.Increment(ref _historyLost);

    internal void EpochRenewed() => Interlocked.Increment(ref _epochsRenewed);

    internal void ResyncKeysReceived(long count) => Interlocked.Add(ref _resyncKeysReceived, count);

    internal void HintsPendingChanged(long delta) => Interlocked.Add(ref _hintsPending, delta);

    internal void HintReplayed() => Interlocked.Increment(ref _hintsReplayed);

    internal void HintDropped() => Interlocked.Increment(ref _hintsDropped);

    /// <summary>Records when the oldest hint of <paramref name="store"/> was created (null: it holds none), by the store's
    /// clock (UTC).</summary>
    internal void OldestHintChanged(object store, DateTime? oldest)
    {
        if (oldest is { } created) _oldestHints[store] = created;
        else _oldestHints.TryRemove(store, out _);
    }

    private double OldestHintAgeSeconds()
    {
        var oldest = _oldestHints.Values.DefaultIfEmpty(DateTime.MaxValue).Min();
        return oldest == DateTime.MaxValue ? 0 : Math.Max(0, (_clock.GetUtcNow().UtcDateTime - oldest).TotalSeconds);
    }

    internal void TombstonesCollected(long count) => Interlocked.Add(ref _tombstonesCollected, count);

    internal void ClocksPruned(long count) => Interlocked.Add(ref _clocksPruned, count);

    /// <summary>The gateway's load after it handled a message: coordinators alive and requests waiting.</summary>
    internal void GatewayLoad(int coordinating, int waiting)
    {
        Volatile.Write(ref _coordinating, coordinating);
        Volatile.Write(ref _waitingRequests, waiting);
    }

    internal void AntiEntropyExchangeEnded(int partition, bool completed, long keysRepaired, long bytes)
    {
        Interlocked.Increment(ref completed ? ref _exchangesCompleted : ref _exchangesFailed);
        Interlocked.Add(ref _keysRepaired, keysRepaired);
        Interlocked.Add(ref _antiEntropyBytes, bytes);
        if (completed) _lastExchange[partition] = _clock.GetTimestamp();
    }

    internal void HandoffStarted() => Interlocked.Increment(ref _handoffsStarted);

    internal void HandoffCompleted() => Interlocked.Increment(ref _handoffsCompleted);

    internal void StrayReleased() => Interlocked.Increment(ref _straysReleased);

    internal void MemberMarkedUnreachable() => Interlocked.Increment(ref _membersMarkedUnreachable);
}
