using Akka.Actor;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// Journal event: the replica started with no history and took a new random identity (epoch) for its dots. It may be
/// new, or it may stand where a replica lost its whole storage: it syncs with its reachable peers before it votes.
/// </summary>
internal sealed record ReplicaEpochStarted(long ReplicaEpoch) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica found its history damaged or missing (<paramref name="Reason"/>), kept what it could read,
/// took a new epoch so it never reissues a dot of the lost history, and needs repair from its peers before it votes in
/// read quorums again.
/// </summary>
internal sealed record ReplicaHistoryLost(long ReplicaEpoch, string Reason) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica became a new owner of its partition (the ring changed and it was not an owner in every owner
/// set since the partition last settled): it keeps its keys and epoch, takes writes, and does not vote in read quorums until
/// a resync with every earlier and current owner filled it (<see cref="ReplicaResynced"/>). Durable, so a move cut short by
/// a crash resumes: the restarted replica is still without a vote and fills again from scratch (merging is idempotent).
/// </summary>
internal sealed record ReplicaHandoffStarted(long ReplicaEpoch) : ILeaderlessStoredEntry;

/// <summary>Journal event: a resync with the replica's peers brought in their whole state; it votes again.</summary>
internal sealed record ReplicaResynced(long ReplicaEpoch) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica started without proof that its journal is complete (no <see cref="ReplicaStoppedCleanly"/>
/// at its end: a crash, a kill, a restore from a copy, a lost tail) and took a new epoch, so that no dot its earlier self
/// may have issued is ever issued again. It keeps its keys, its repair need and its vote: an unclean stop alone loses
/// nothing the journal acknowledged. (A restore that did lose history shows when a peer holds a version of a retired
/// epoch the replica no longer has; see <see cref="ReplicaHistoryLost"/>.)
/// </summary>
internal sealed record ReplicaEpochRenewed(long ReplicaEpoch) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica of epoch <paramref name="ReplicaEpoch"/> stopped in order (its node shut down) and wrote
/// nothing after this. Found as the journal's very last event at the next start, it proves the journal complete, and the
/// replica keeps its epoch; anything else ends the epoch (see <see cref="ReplicaEpochRenewed"/>).
/// </summary>
internal sealed record ReplicaStoppedCleanly(long ReplicaEpoch) : ILeaderlessStoredEntry;

/// <summary>Journal event: a key's state after a coordinated write or a merge.</summary>
internal sealed record KeyUpdated(string Key, SiblingSet State) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica of <paramref name="Node"/> for this partition, which synced with this one, has epoch
/// <paramref name="ReplicaEpoch"/>. Remembered so that a replica starting there without history is known to stand where
/// one lost its storage.
/// </summary>
internal sealed record PeerReplicaSeen(Address Node, long ReplicaEpoch) : ILeaderlessStoredEntry, IPeerEpochSeen<Address>;

/// <summary>
/// Snapshot of a whole partition replica with the epochs it retired (<paramref name="RetiredEpochs"/>), so that a peer
/// holding a version of a retired epoch that the replica no longer has still reveals lost history after a snapshot.
/// Only read since <see cref="PartitionSnapshotWithCollected"/>.
/// </summary>
internal sealed record PartitionSnapshotWithEpochs(long ReplicaEpoch, KeyValuePair<string, SiblingSet>[] Keys, RepairNeed? Repair,
    KeyValuePair<Address, long>[] PeerEpochs, long[] RetiredEpochs) : ILeaderlessStoredEntry;

/// <summary>
/// Journal marker: the replica of epoch <paramref name="ReplicaEpoch"/> dropped the tombstones of <paramref name="Keys"/>,
/// which every owner of the partition held for longer than the grace period. <paramref name="Collected"/> holds the
/// highest counters of the replica's own epochs in their clocks: a key written again is given versions past them, so
/// no dot a dropped clock covered is ever issued again.
/// </summary>
internal sealed record TombstonesCollected(long ReplicaEpoch, string[] Keys, VersionVector Collected) : ILeaderlessStoredEntry;

/// <summary>
/// Journal marker: the replica of epoch <paramref name="ReplicaEpoch"/> pruned the clocks of <paramref name="Keys"/>
/// (<see cref="SiblingSet.WithoutIdleEpochs"/>), whose states every owner held unchanged for longer than the grace period.
/// Replaying it prunes the same states again: a write that followed is journaled after it. <paramref name="Collected"/>
/// holds the replica's own-epoch counters among the pruned entries, as for <see cref="TombstonesCollected"/>.
/// </summary>
internal sealed record ClocksPruned(long ReplicaEpoch, string[] Keys, VersionVector Collected) : ILeaderlessStoredEntry;

/// <summary>
/// Journal marker: the replica of epoch <paramref name="ReplicaEpoch"/> dropped every key it held, because its node is no
/// longer an owner of the partition and every new owner confirmed being filled from it (see
/// <see cref="Partitioning.PartitionMove{TPeer}"/>). <paramref name="Collected"/> holds the highest counters of the replica's
/// own epochs in the dropped clocks, as for <see cref="TombstonesCollected"/>: should the partition come back to this
/// node, no dot it issued is ever issued again. From this marker on the replica does not vote (<see cref="RepairNeed.Released"/>).
/// </summary>
internal sealed record PartitionReleased(long ReplicaEpoch, VersionVector Collected) : ILeaderlessStoredEntry;

/// <summary>
/// Snapshot of a whole partition replica with the own-epoch counters of the tombstones it dropped
/// (<paramref name="Collected"/>, see <see cref="TombstonesCollected"/>).
/// </summary>
internal sealed record PartitionSnapshotWithCollected(long ReplicaEpoch, KeyValuePair<string, SiblingSet>[] Keys, RepairNeed? Repair,
    KeyValuePair<Address, long>[] PeerEpochs, long[] RetiredEpochs, VersionVector Collected) : ILeaderlessStoredEntry;

/// <summary>
/// Snapshot of a whole partition replica as versions before <see cref="PartitionSnapshotWithEpochs"/> wrote it; only read.
/// </summary>
internal sealed record PartitionSnapshot(
    long ReplicaEpoch, KeyValuePair<string, SiblingSet>[] Keys, RepairNeed? Repair, KeyValuePair<Address, long>[] PeerEpochs)
    : ILeaderlessStoredEntry;

/// <summary>
/// Snapshot of a whole partition replica as versions before <see cref="PartitionSnapshot"/> wrote it; only read. (Stored
/// types never change shape: Hyperion reads fields by position, in the ordinal order of their names, so a new field needs
/// a new type and a renamed one must keep its place; StoredFormatSpecs reads bytes that earlier versions wrote.)
/// </summary>
internal sealed record ReplicaSnapshot(long ReplicaEpoch, KeyValuePair<string, SiblingSet>[] Keys) : ILeaderlessStoredEntry;

/// <summary>
/// Why a replica must sync with its peers before it votes in read quorums again, and with which: every peer when its
/// history was lost (an acknowledged write it held may survive on one peer alone), or the reachable ones when it
/// simply started without history (then it may be new, and there may be nothing to miss).
/// </summary>
internal sealed record RepairNeed(string Reason, bool FromEveryPeer)
{
    public static readonly RepairNeed Fresh = new("started without history: syncing with its peers", FromEveryPeer: false);

    /// <summary>A new owner of the partition, filled from every earlier and current owner before it votes.</summary>
    public static readonly RepairNeed Handoff = new("a new owner of the partition: filling from every earlier owner", FromEveryPeer: true);

    /// <summary>
    /// No longer an owner, its copy dropped after the new owners were filled: it does not vote (a coordinator that has
    /// not heard of the move yet may still ask it) and does not resync (that would bring the copy back); it fills again as
    /// a new owner should the partition return. Recognised by value in snapshots: never reword it.
    /// </summary>
    public static readonly RepairNeed Released = new("no longer an owner: its copy was dropped once the new owners were filled", FromEveryPeer: true);

    /// <summary>Whether this is <see cref="Released"/>: a repair that never runs unless the partition returns.</summary>
    public bool IsRelease => Equals(Released);
}
