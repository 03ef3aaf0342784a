using LeaderlessActors.Membership;
using Akka.Actor;
using LeaderlessActors.Partitioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// What a replica needs to know about its partition, node and storage; <c>HoldLimit</c> bounds the reads it holds while
/// it syncs with its peers (storage.recovery-backlog-limit). <c>Clock</c> is the store's clock, which its resync spaces its
/// asks by and its tombstone grace is measured with (the system clock unless a test injects another). <c>Limits</c> bound the keys' states (see <see cref="KeyAdmission"/>).
/// <c>TreeShape</c> is its Merkle tree's (leaderless.anti-entropy; reference.conf's when null). <c>TombstoneGrace</c> is
/// how long a tombstone every owner holds is kept (leaderless.anti-entropy.tombstone-grace); null: never dropped.
/// <c>Metrics</c> are the node's store's, which the replica reports to. <c>Throttle</c> is the node's background-repair
/// rate its resyncs (and handoff fills) pace their chunks by; null: unpaced. <c>LostAfterTelling</c> are the versions
/// the replica it succeeds in this process told early and lost to a journal failure (see
/// <see cref="ReplicaCore{TPeer,TReplyTo}.LostAfterTelling"/>).
/// </summary>
internal sealed record ReplicaOptions(int Partition, Address Node, string JournalPluginId, string SnapshotPluginId, int SnapshotEvery,
    int HoldLimit, Topology Topology, RepairSettings Repair, KeyLimits Limits, TimeProvider? Clock = null,
    AntiEntropy.MerkleShape? TreeShape = null)
{
    public TimeProvider Clock { get; init; } = Clock ?? TimeProvider.System;

    public TimeSpan? TombstoneGrace { get; init; }

    public required Diagnostics.StoreMetrics Metrics { get; init; }

    public RepairThrottle? Throttle { get; init; }

    public IReadOnlyCollection<(string Key, Versioning.Dot Dot)> LostAfterTelling { get; init; } = [];

    /// <summary>Whether the replica tells a coordinator on its node a write's new state before it is durable
    /// (leaderless.storage.fan-out-before-durable; see <see cref="WriteIssued"/>).</summary>
    public bool FanOutBeforeDurable { get; init; }
}
