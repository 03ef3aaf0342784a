using Akka.Configuration;

namespace LeaderlessActors.Hosting;

/// <summary>
/// Settings of the store for <see cref="LeaderlessHostingExtensions.WithLeaderlessStore(Akka.Hosting.AkkaConfigurationBuilder, LeaderlessStoreOptions)"/>:
/// one property per <c>leaderless.*</c> setting of <c>hocon/reference.conf</c>, bindable from <c>appsettings.json</c>
/// (<c>configuration.GetSection("Leaderless").Get&lt;LeaderlessStoreOptions&gt;()</c>; sizes such as <c>"1MiB"</c>,
/// durations such as <c>"00:00:05"</c>, consistency levels such as <c>"quorum"</c>). Every property left null keeps the
/// value of the application's HOCON, and failing that the default in <c>hocon/reference.conf</c>; the store validates the
/// result at start-up and names the HOCON key of a bad value.
/// </summary>
public sealed class LeaderlessStoreOptions
{
    /// <summary><c>leaderless.replication-factor</c>: replicas per partition (N). Default 3.</summary>
    public int? ReplicationFactor { get; set; }

    /// <summary><c>leaderless.partition-count</c>: partitions of the key space (Q). Default 64.</summary>
    public int? PartitionCount { get; set; }

    /// <summary><c>leaderless.virtual-nodes-per-member</c>: ring positions per member. Default 128.</summary>
    public int? VirtualNodesPerMember { get; set; }

    /// <summary><c>leaderless.read-consistency</c>: default R. Default quorum.</summary>
    public Consistency? ReadConsistency { get; set; }

    /// <summary><c>leaderless.write-consistency</c>: default W. Default quorum.</summary>
    public Consistency? WriteConsistency { get; set; }

    /// <summary><c>leaderless.request-timeout</c>. Default 5 s.</summary>
    public TimeSpan? RequestTimeout { get; set; }

    /// <summary><c>leaderless.settle-window</c>: how long a coordinator waits for late replicas after answering.
    /// Default 1 s.</summary>
    public TimeSpan? SettleWindow { get; set; }

    /// <summary><c>leaderless.read-hedging.speculative-retry</c>: "adaptive" (a quorum read asks R replicas first and the
    /// others after the recent 99th percentile of replica read round trips, or at once when one of the R fails), "off"
    /// (ask every owner at once) or a fixed delay such as "20ms". Default "adaptive".</summary>
    public string? SpeculativeRetry { get; set; }

    /// <summary><c>leaderless.read-hedging.min-delay</c>: least adaptive hedge delay. Default 2 ms.</summary>
    public TimeSpan? SpeculativeRetryMinDelay { get; set; }

    /// <summary><c>leaderless.read-hedging.max-delay</c>: most adaptive hedge delay. Default 200 ms.</summary>
    public TimeSpan? SpeculativeRetryMaxDelay { get; set; }

    /// <summary><c>leaderless.max-key-bytes</c>: longest key accepted (UTF-8). Default 1 KiB.</summary>
    public ByteSize? MaxKeyBytes { get; set; }

    /// <summary><c>leaderless.max-value-bytes</c>: largest value accepted. Default 1 MiB.</summary>
    public ByteSize? MaxValueBytes { get; set; }

    /// <summary><c>leaderless.max-live-coordinators</c>: most requests a node coordinates at once; past it requests wait
    /// in a queue. Default 1000.</summary>
    public int? MaxLiveCoordinators { get; set; }

    /// <summary><c>leaderless.max-queued-requests</c>: most requests waiting for a coordinator slot; past it requests fail
    /// with <see cref="OverloadedException"/>. 0 refuses at once. Default 10000.</summary>
    public int? MaxQueuedRequests { get; set; }

    /// <summary><c>leaderless.max-siblings</c>: most concurrent versions of a key. Default 64.</summary>
    public int? MaxSiblings { get; set; }

    /// <summary><c>leaderless.max-key-state-bytes</c>: most bytes a client write may leave in one key's state; 0 derives
    /// it from the remote frame. Default 0.</summary>
    public ByteSize? MaxKeyStateBytes { get; set; }

    /// <summary><c>leaderless.max-clock-entries</c>: most entries of a key's clock and of a context. Default 1000.</summary>
    public int? MaxClockEntries { get; set; }

    /// <summary><c>leaderless.context.secret</c>: base64 of at least 32 bytes, the same on every node; authenticates
    /// causal contexts. Default none (each node generates one and the members share them).</summary>
    public string? ContextSecret { get; set; }

    /// <summary><c>leaderless.context.previous-secrets</c>: earlier secrets, still accepted. Default none.</summary>
    public IList<string>? PreviousContextSecrets { get; set; }

    /// <summary><c>leaderless.storage.backend</c>. Default sqlite.</summary>
    public StorageBackend? Storage { get; set; }

    /// <summary><c>leaderless.storage.snapshot-every</c>: events a replica writes between snapshots. Default 1000.</summary>
    public int? SnapshotEvery { get; set; }

    /// <summary><c>leaderless.storage.recovery-backlog-limit</c>: most commands a recovering replica holds.
    /// Default 10000.</summary>
    public int? RecoveryBacklogLimit { get; set; }

    /// <summary><c>leaderless.storage.fan-out-before-durable</c>: whether a write's version goes to the other replicas while
    /// the coordinating replica's journal still writes it. Default false.</summary>
    public bool? FanOutBeforeDurable { get; set; }

    /// <summary><c>leaderless.storage.sqlite.data-dir</c>: folder of the node's SQLite file. Default "leaderless-data".</summary>
    public string? SqliteDataDirectory { get; set; }

    /// <summary><c>leaderless.storage.sqlite.connection-string</c>: explicit SQLite connection string. Default none
    /// (derived from the data folder).</summary>
    public string? SqliteConnectionString { get; set; }

    /// <summary><c>leaderless.storage.sqlite.journal</c>. Default group-commit.</summary>
    public SqliteJournalKind? SqliteJournal { get; set; }

    /// <summary><c>leaderless.storage.sqlite.synchronous</c>. Default full.</summary>
    public SqliteSynchronous? SqliteSynchronous { get; set; }

    /// <summary><c>leaderless.storage.sqlite.write-queue-limit</c>. Default 10000.</summary>
    public int? SqliteWriteQueueLimit { get; set; }

    /// <summary><c>leaderless.storage.sqlite.write-batch-limit</c>. Default 1000.</summary>
    public int? SqliteWriteBatchLimit { get; set; }

    /// <summary><c>leaderless.storage.postgres.connection-string</c>: this node's own database. Required with postgres.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary><c>leaderless.storage.postgres.schema</c>. Default "public".</summary>
    public string? PostgresSchema { get; set; }

    /// <summary><c>leaderless.repair.resync-chunk-bytes</c>: bytes per message of a resync. Default 256 KiB.</summary>
    public ByteSize? ResyncChunkBytes { get; set; }

    /// <summary><c>leaderless.repair.resync-idle-timeout</c>. Default 30 s.</summary>
    public TimeSpan? ResyncIdleTimeout { get; set; }

    /// <summary><c>leaderless.repair.resync-ask-again-after</c>. Default 1 s.</summary>
    public TimeSpan? ResyncAskAgainAfter { get; set; }

    /// <summary><c>leaderless.repair.resync-retry-interval</c>. Default 5 s.</summary>
    public TimeSpan? ResyncRetryInterval { get; set; }

    /// <summary><c>leaderless.repair.read-hold</c>. Default 1 s.</summary>
    public TimeSpan? ReadHold { get; set; }

    /// <summary><c>leaderless.hints.enabled</c>: whether the node keeps and replays hints for owners that missed a write.
    /// Default true.</summary>
    public bool? HintsEnabled { get; set; }

    /// <summary><c>leaderless.hints.max-per-target</c>: most keys hinted per target node. Default 100000.</summary>
    public int? MaxHintsPerTarget { get; set; }

    /// <summary><c>leaderless.hints.replay-per-second</c>: most hints replayed per second. Default 1000.</summary>
    public int? HintReplayPerSecond { get; set; }

    /// <summary><c>leaderless.hints.replay-timeout</c>: wait for a replay's acknowledgement before resending. Default 5 s.</summary>
    public TimeSpan? HintReplayTimeout { get; set; }

    /// <summary><c>leaderless.hints.snapshot-every</c>: hint events between snapshots. Default 1000.</summary>
    public int? HintSnapshotEvery { get; set; }

    /// <summary><c>leaderless.hints.sloppy-quorum</c>: whether writes that do not say use a sloppy quorum. Default false.</summary>
    public bool? SloppyQuorum { get; set; }
    /// <summary><c>leaderless.ring.gossip-interval</c>: how often a node sends its ring state to one member at random.
    /// Default 1 s.</summary>
    public TimeSpan? RingGossipInterval { get; set; }

    /// <summary><c>leaderless.ring.storage-retry-interval</c>. Default 5 s.</summary>
    public TimeSpan? RingStorageRetryInterval { get; set; }

    /// <summary><c>leaderless.ring.auto-remove-after</c>: how long an owner may stay out of reach before the nodes remove
    /// it from the ring by themselves. Default off (unset): only an operator removes a dead owner.</summary>
    public TimeSpan? RingAutoRemoveAfter { get; set; }

    /// <summary><c>leaderless.anti-entropy.enabled</c>: whether this node hosts anti-entropy workers. Default true.</summary>
    public bool? AntiEntropyEnabled { get; set; }

    /// <summary><c>leaderless.anti-entropy.interval</c>: how often each partition's replicas are compared. Default 30 s.</summary>
    public TimeSpan? AntiEntropyInterval { get; set; }

    /// <summary><c>leaderless.anti-entropy.workers</c>: anti-entropy workers in the cluster. Default 4.</summary>
    public int? AntiEntropyWorkers { get; set; }

    /// <summary><c>leaderless.anti-entropy.concurrency</c>: exchanges one worker runs at once. Default 2.</summary>
    public int? AntiEntropyConcurrency { get; set; }

    /// <summary><c>leaderless.anti-entropy.repair-bytes-per-second</c>: the node-wide budget of background repair
    /// traffic (anti-entropy, resync, handoff fills). Default 4 MiB.</summary>
    public ByteSize? RepairBytesPerSecond { get; set; }

    /// <summary><c>leaderless.anti-entropy.exchange-timeout</c>. Default 10 s.</summary>
    public TimeSpan? AntiEntropyExchangeTimeout { get; set; }

    /// <summary><c>leaderless.anti-entropy.tree-fanout</c>: children per Merkle tree node. Default 16.</summary>
    public int? AntiEntropyTreeFanout { get; set; }

    /// <summary><c>leaderless.anti-entropy.tree-depth</c>: levels of the Merkle tree. Default 3.</summary>
    public int? AntiEntropyTreeDepth { get; set; }

    /// <summary><c>leaderless.anti-entropy.tombstone-grace</c>: how long a tombstone every owner holds is kept before it
    /// is collected. Default 1 min.</summary>
    public TimeSpan? TombstoneGrace { get; set; }

    /// <summary><c>leaderless.handoff.ring-check-interval</c>: how often a filling owner checks the ring. Default 200 ms.</summary>
    public TimeSpan? HandoffRingCheckInterval { get; set; }

    /// <summary><c>leaderless.handoff.history-sync-interval</c>: how often nodes share the moves they know. Default 2 s.</summary>
    public TimeSpan? HandoffHistorySyncInterval { get; set; }

    /// <summary><c>leaderless.handoff.history-wait</c>: longest a node that joined or restarted waits for a peer's moves
    /// before it serves. Default 5 s.</summary>
    public TimeSpan? HandoffHistoryWait { get; set; }

    /// <summary><c>leaderless.handoff.max-concurrent-fills</c>: most fills one node runs at once. Default 4.</summary>
    public int? MaxConcurrentFills { get; set; }

    /// <summary><c>leaderless.handoff.release-moved-copies</c>: whether a node that is no longer an owner of a partition
    /// drops its copy once every new owner confirmed being filled, and a stray copy once every owner stored its keys.
    /// Default true.</summary>
    public bool? ReleaseMovedCopies { get; set; }

    /// <summary>
    /// Whether to give Akka.Remote a frame size that carries the largest value (as a fallback: an explicit
    /// <c>akka.remote.dot-netty.tcp.maximum-frame-size</c> wins). Default true.
    /// </summary>
    public bool SizeRemoteFrames { get; set; } = true;

    /// <summary>The settings that were set, as HOCON under <c>leaderless</c>; unset ones are absent.</summary>
    public Config ToConfig()
    {
        var settings = new (string Key, object? Value)[]
        {
            ("replication-factor", ReplicationFactor),
            ("partition-count", PartitionCount),
            ("virtual-nodes-per-member", VirtualNodesPerMember),
            ("read-consistency", ReadConsistency),
            ("write-consistency", WriteConsistency),
            ("request-timeout", RequestTimeout),
            ("settle-window", SettleWindow),
            ("read-hedging.speculative-retry", SpeculativeRetry),
            ("read-hedging.min-delay", SpeculativeRetryMinDelay),
            ("read-hedging.max-delay", SpeculativeRetryMaxDelay),
            ("max-key-bytes", MaxKeyBytes),
            ("max-value-bytes", MaxValueBytes),
            ("max-live-coordinators", MaxLiveCoordinators),
            ("max-queued-requests", MaxQueuedRequests),
            ("max-siblings", MaxSiblings),
            ("max-key-state-bytes", MaxKeyStateBytes),
            ("max-clock-entries", MaxClockEntries),
            ("context.secret", ContextSecret),
            ("context.previous-secrets", PreviousContextSecrets),
            ("storage.backend", Storage),
            ("storage.snapshot-every", SnapshotEvery),
            ("storage.recovery-backlog-limit", RecoveryBacklogLimit),
            ("storage.fan-out-before-durable", FanOutBeforeDurable),
            ("storage.sqlite.data-dir", SqliteDataDirectory),
            ("storage.sqlite.connection-string", SqliteConnectionString),
            ("storage.sqlite.journal", SqliteJournal),
            ("storage.sqlite.synchronous", SqliteSynchronous),
            ("storage.sqlite.write-queue-limit", SqliteWriteQueueLimit),
            ("storage.sqlite.write-batch-limit", SqliteWriteBatchLimit),
            ("storage.postgres.connection-string", PostgresConnectionString),
            ("storage.postgres.schema", PostgresSchema),
            ("repair.resync-chunk-bytes", ResyncChunkBytes),
            ("repair.resync-idle-timeout", ResyncIdleTimeout),
            ("repair.resync-ask-again-after", ResyncAskAgainAfter),
            ("repair.resync-retry-interval", ResyncRetryInterval),
            ("repair.read-hold", ReadHold),
            ("hints.enabled", HintsEnabled),
            ("hints.max-per-target", MaxHintsPerTarget),
            ("hints.replay-per-second", HintReplayPerSecond),
            ("hints.replay-timeout", HintReplayTimeout),
            ("hints.snapshot-every", HintSnapshotEvery),
            ("hints.sloppy-quorum", SloppyQuorum),
            ("ring.gossip-interval", RingGossipInterval),
            ("ring.storage-retry-interval", RingStorageRetryInterval),
            ("ring.auto-remove-after", RingAutoRemoveAfter),
            ("anti-entropy.enabled", AntiEntropyEnabled),
            ("anti-entropy.interval", AntiEntropyInterval),
            ("anti-entropy.workers", AntiEntropyWorkers),
            ("anti-entropy.concurrency", AntiEntropyConcurrency),
            ("anti-entropy.repair-bytes-per-second", RepairBytesPerSecond),
            ("anti-entropy.exchange-timeout", AntiEntropyExchangeTimeout),
            ("anti-entropy.tree-fanout", AntiEntropyTreeFanout),
            ("anti-entropy.tree-depth", AntiEntropyTreeDepth),
            ("anti-entropy.tombstone-grace", TombstoneGrace),
            ("handoff.ring-check-interval", HandoffRingCheckInterval),
            ("handoff.history-sync-interval", HandoffHistorySyncInterval),
            ("handoff.history-wait", HandoffHistoryWait),
            ("handoff.max-concurrent-fills", MaxConcurrentFills),
            ("handoff.release-moved-copies", ReleaseMovedCopies),
        };
        return ConfigurationFactory.ParseString(string.Join("\n",
            settings.Where(s => s.Value is not null).Select(s => $"leaderless.{s.Key} = {HoconValue.Of(s.Value!)}")));
    }
}
