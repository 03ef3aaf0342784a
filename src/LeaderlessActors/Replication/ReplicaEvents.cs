using Akka.Actor;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// Journal event: the replica started with no history and took a new random identity (epoch) for its dots. It may be
/// new, or it may stand where a replica lost its whole storage: it syncs with its reachable peers before it votes.
/// </summary>
internal sealed record ReplicaEpochStarted(long ReplicaId) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica found its history damaged or missing (<paramref name="Reason"/>), kept what it could read,
/// took a new epoch so it never reissues a dot of the lost history, and needs repair from its peers before it votes in
/// read quorums again.
/// </summary>
internal sealed record ReplicaHistoryLost(long ReplicaId, string Reason) : ILeaderlessStoredEntry;

/// <summary>Journal event: a resync with the replica's peers brought in their whole state; it votes again.</summary>
internal sealed record ReplicaResynced(long ReplicaId) : ILeaderlessStoredEntry;

/// <summary>Journal event: a key's state after a coordinated write or a merge.</summary>
internal sealed record KeyUpdated(string Key, SiblingSet State) : ILeaderlessStoredEntry;

/// <summary>
/// Journal event: the replica of <paramref name="Node"/> for this partition, which synced with this one, has epoch
/// <paramref name="ReplicaId"/>. Remembered so that a replica starting there without history is known to stand where
/// one lost its storage.
/// </summary>
internal sealed record PeerReplicaSeen(Address Node, long ReplicaId) : ILeaderlessStoredEntry, IPeerEpochSeen<Address>;

/// <summary>
/// Snapshot of a whole partition replica; <paramref name="Repair"/> is set while it needs repair, and
/// <paramref name="PeerEpochs"/> holds the epochs of peer replicas it has seen.
/// </summary>
internal sealed record PartitionSnapshot(
    long ReplicaId, KeyValuePair<string, SiblingSet>[] Keys, RepairNeed? Repair, KeyValuePair<Address, long>[] PeerEpochs)
    : ILeaderlessStoredEntry;

/// <summary>
/// Snapshot of a whole partition replica as versions before <see cref="PartitionSnapshot"/> wrote it; only read. (Stored
/// types never change shape: Hyperion reads fields by position, so a new field needs a new type.)
/// </summary>
internal sealed record ReplicaSnapshot(long ReplicaId, KeyValuePair<string, SiblingSet>[] Keys) : ILeaderlessStoredEntry;

/// <summary>
/// Why a replica must sync with its peers before it votes in read quorums again, and with which: every peer when its
/// history was lost (an acknowledged write it held may survive on one peer alone), or the reachable ones when it
/// simply started without history (then it may be new, and there may be nothing to miss).
/// </summary>
internal sealed record RepairNeed(string Reason, bool FromEveryPeer)
{
    public static readonly RepairNeed Fresh = new("started without history: syncing with its peers", FromEveryPeer: false);
}
