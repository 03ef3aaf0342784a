using Akka.Actor;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Hints;

/// <summary>
/// A write that owner <paramref name="Target"/> of <paramref name="Key"/> did not acknowledge: the key's state as the
/// write left it, to be merged into the target's replica of <paramref name="Partition"/> once it is reachable.
/// <paramref name="Created"/> (UTC) is when the oldest write the hint carries was hinted.
/// </summary>
internal sealed record Hint(Address Target, int Partition, string Key, SiblingSet State, DateTime Created) : ILeaderlessStoredEntry;

/// <summary>Journal event of the hint store: a hint was kept (merged into any hint for the same target and key).</summary>
internal sealed record HintKept(Hint Hint) : ILeaderlessStoredEntry;

/// <summary>Journal event of the hint store: the target acknowledged the state with <paramref name="Clock"/>; the hint
/// for that key goes unless it gained a newer write meanwhile.</summary>
internal sealed record HintDelivered(Address Target, int Partition, string Key, VersionVector Clock) : ILeaderlessStoredEntry;

/// <summary>Snapshot of every hint a node holds.</summary>
internal sealed record HintSnapshot(Hint[] Hints) : ILeaderlessStoredEntry;

/// <summary>From a coordinator on this node: keep these hints (no answer; a lost hint is anti-entropy's to repair).</summary>
internal sealed record KeepHints(IReadOnlyList<Hint> Hints);

/// <summary>From a coordinator of a sloppy write: keep <paramref name="Hint"/> for the owner this node stands in for, and
/// answer <see cref="HintStored"/> once it is durable, or <see cref="Replication.ReplicaFailed"/> when the backlog for that
/// owner is full.</summary>
internal sealed record StoreHint(long RequestId, Hint Hint) : ILeaderlessWireMessage;

/// <summary>A fallback node durably holds the hint of a sloppy write: it counts toward W.</summary>
internal sealed record HintStored(long RequestId, Address Node) : Replication.IReplicaReply;

/// <summary>Asks a node's hint store for its <see cref="HintStatus"/> (tests and operators); answered once every hint kept
/// before it is durable.</summary>
internal sealed record GetHintStatus
{
    public static readonly GetHintStatus Instance = new();
}

/// <summary>What a hint store holds: hints per target, and how many it dropped and replayed since it started.</summary>
internal sealed record HintStatus(IReadOnlyDictionary<Address, int> PendingPerTarget, long Dropped, long Replayed)
{
    public int Pending => PendingPerTarget.Values.Sum();
}
