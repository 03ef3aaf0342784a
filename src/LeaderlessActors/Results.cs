using LeaderlessActors.Serialization;

namespace LeaderlessActors;

/// <summary>The answer to a read.</summary>
/// <param name="Found">True when the key has at least one value (not absent, not deleted).</param>
/// <param name="Values">Every concurrent value (sibling), each distinct value once; empty when the key is absent or deleted. More than one means
/// concurrent writes: resolve them by writing with <paramref name="Context"/>.</param>
/// <param name="Context">The causal context to pass to the next write or delete of this key.</param>
public sealed record ReadResult(bool Found, IReadOnlyList<byte[]> Values, CausalContext Context) : ILeaderlessWireMessage;

/// <summary>The answer to an acknowledged write or delete.</summary>
/// <param name="Context">The causal context of the version just written: a write with it replaces that version and what
/// the write's own context had seen, never versions other clients wrote concurrently. (When the coordinating replica holds
/// such a version that it issued itself, a version vector cannot name this version without it; the context then leaves
/// this version out, and a write with it adds a sibling instead of replacing it.)</param>
/// <param name="StoredOn">Addresses of the replicas that had stored the write durably when it was acknowledged (at
/// least W of them); the other replicas receive it too, later or through repair.</param>
public sealed record WriteResult(CausalContext Context, IReadOnlyList<string> StoredOn) : ILeaderlessWireMessage;

/// <summary>One version of a key as a replica holds it.</summary>
/// <param name="Dot">The version's identity: the id of the replica that created it and its event counter, as "id:counter".</param>
/// <param name="Value">The value bytes, or null for a tombstone.</param>
public sealed record StoredVersion(string Dot, byte[]? Value) : ILeaderlessWireMessage
{
    /// <summary>True when the version is a delete marker.</summary>
    public bool IsTombstone => Value is null;
}

/// <summary>One replica's state of a key.</summary>
/// <param name="Node">The address of the node holding the replica.</param>
/// <param name="Partition">The key's partition.</param>
/// <param name="ReplicaIndex">The node's position in the partition's preference list (0 = first primary).</param>
/// <param name="ReplicaEpoch">The replica's current identity (epoch) in hex; it changes when a replica starts without data
/// or finds part of its history lost.</param>
/// <param name="Context">Everything the replica has seen of the key.</param>
/// <param name="Versions">The versions the replica holds, tombstones included.</param>
/// <param name="RepairReason">Why the replica needs repair (its storage was damaged or incomplete), or null when it does
/// not. Until repaired it answers reads without counting toward R.</param>
public sealed record ReplicaState(string Node, int Partition, int ReplicaIndex, string ReplicaEpoch, CausalContext Context,
    IReadOnlyList<StoredVersion> Versions, string? RepairReason = null) : ILeaderlessWireMessage
{
    /// <summary>True while the replica lost history and has not yet been repaired from its peers.</summary>
    public bool NeedsRepair => RepairReason is not null;

    /// <summary>The non-tombstone values the replica holds.</summary>
    public IReadOnlyList<byte[]> Values => Versions.Where(v => !v.IsTombstone).Select(v => v.Value!).ToArray();
}

/// <summary>Each replica's state of one key, for tests and operators.</summary>
/// <param name="Key">The key.</param>
/// <param name="Partition">Its partition.</param>
/// <param name="Replicas">The states of the replicas that answered, in preference-list order.</param>
/// <param name="Missing">Addresses of replicas that were unreachable or did not answer in time.</param>
public sealed record KeyInspection(string Key, int Partition, IReadOnlyList<ReplicaState> Replicas, IReadOnlyList<string> Missing)
    : ILeaderlessWireMessage;
