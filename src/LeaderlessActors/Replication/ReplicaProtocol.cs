using Akka.Actor;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

// The internal protocol between coordinators and replicas. Every command names its partition so a node's ReplicaHost can
// route it, and carries the coordinator's request id so a reply can be matched without trusting the sender's path.

/// <summary>A command for the replica of one partition on the receiving node.</summary>
internal interface IReplicaCommand : ILeaderlessWireMessage
{
    long RequestId { get; }
    int Partition { get; }
}

/// <summary>
/// A replica's answer to a coordinator's command (a fallback's <see cref="Hints.HintStored"/> too): it carries the
/// command's request id, by which the node's <see cref="Coordination.ReplyEndpoint"/> finds the coordinator.
/// </summary>
internal interface IReplicaReply : ILeaderlessWireMessage
{
    long RequestId { get; }
}

/// <summary>Read the replica's state of a key. Answered with <see cref="KeyRead"/>.</summary>
internal sealed record ReadKey(long RequestId, int Partition, string Key) : IReplicaCommand;

/// <summary>
/// Create a new version of a key on this replica from the client's causal context (the replica issues the dot) and
/// answer with the resulting state once it is durable: <see cref="WriteCoordinated"/> or <see cref="ReplicaFailed"/>.
/// A coordinator on the replica's own node may instead be told the state at once, <see cref="WriteIssued"/>, and then
/// <see cref="KeyStored"/> or <see cref="ReplicaFailed"/> once the journal answered. A null value writes a tombstone.
/// </summary>
internal sealed record CoordinateWrite(long RequestId, int Partition, string Key, byte[]? Value, VersionVector Context, int MaxSiblings)
    : IReplicaCommand;

/// <summary>Merge a key state into this replica (write replication, read repair, resync, anti-entropy and hint
/// replay all use this one command); answered with <see cref="KeyStored"/>
/// once durable, or <see cref="ReplicaFailed"/>. A client write replicated here (<paramref name="Write"/>) is held to the
/// replica's sibling bound and may be refused; a repair never is (see <see cref="KeyAdmission"/>).</summary>
internal sealed record MergeKeyState(long RequestId, int Partition, string Key, SiblingSet State, bool Write = false) : IReplicaCommand;

/// <summary>Read the replica's state of a key together with the replica's epoch, for tests and operators.</summary>
internal sealed record InspectKey(long RequestId, int Partition, string Key) : IReplicaCommand;

/// <summary>
/// A replica's answer to <see cref="ReadKey"/>; <paramref name="State"/> is empty when it holds nothing. A replica that
/// lost or never had its history and is not yet repaired answers with <paramref name="NeedsRepair"/>: its state is merged
/// and repaired, but it does not count toward R, because it may lack writes it should hold.
/// </summary>
internal sealed record KeyRead(long RequestId, Address Node, SiblingSet State, bool NeedsRepair = false) : IReplicaReply;

/// <summary>The coordinating replica stored a new version, <paramref name="Dot"/>, durably; <paramref name="State"/> is the
/// key's state after it.</summary>
internal sealed record WriteCoordinated(long RequestId, Address Node, SiblingSet State, Dot Dot) : IReplicaReply;

/// <summary>
/// The coordinating replica issued <paramref name="Dot"/> and handed its event to the journal: <paramref name="State"/>
/// is the key's state after it, for the coordinator to store on the other replicas while the journal writes it. It is
/// not a vote: the replica's <see cref="KeyStored"/> (durable) or <see cref="ReplicaFailed"/> follows. Sent only when a
/// restart after losing the event is sure to take a new epoch, so the dot is never issued again (see
/// <see cref="ReplicaCore{TPeer,TReplyTo}.MayTellIssuedEarly"/>).
/// </summary>
internal sealed record WriteIssued(long RequestId, Address Node, SiblingSet State, Dot Dot) : IReplicaReply;

/// <summary>A replica durably merged a <see cref="MergeKeyState"/>, or durably stored the version it told in a
/// <see cref="WriteIssued"/>.</summary>
internal sealed record KeyStored(long RequestId, Address Node) : IReplicaReply;

/// <summary>A replica's answer to <see cref="InspectKey"/>; <paramref name="RepairReason"/> is set while it needs repair.</summary>
internal sealed record KeyInspected(long RequestId, Address Node, int Partition, long ReplicaEpoch, SiblingSet State,
    string? RepairReason = null) : IReplicaReply;

/// <summary>Why a replica refused or failed a command.</summary>
internal enum ReplicaFailure
{
    /// <summary>The journal reported a failure: the event was not acknowledged, and may or may not be stored.</summary>
    StorageFailed,
    /// <summary>The write would exceed the sibling bound; nothing was stored.</summary>
    SiblingLimit,
    /// <summary>The write would exceed the bound on a key's state (bytes, clock entries, or a version counter at its
    /// end); nothing was stored.</summary>
    KeyStateLimit,
    /// <summary>The replica is recovering and holds as many commands as it may; nothing was stored.</summary>
    Recovering,
    /// <summary>The replica does not serve that partition number.</summary>
    UnknownPartition,
    /// <summary>The node is shutting down and its replicas persist nothing more; nothing was stored.</summary>
    ShuttingDown,
    /// <summary>A fallback of a sloppy write holds as many hints for the owner as it may; it kept nothing.</summary>
    HintBacklogFull,
}

/// <summary>
/// A replica could not carry out a command. Refusals (sibling limit, recovering, unknown partition) stored nothing; a
/// <see cref="ReplicaFailure.StorageFailed"/> may or may not have reached the journal, so coordinators treat it as unknown.
/// </summary>
internal sealed record ReplicaFailed(long RequestId, Address Node, ReplicaFailure Failure, string Message)
    : IReplicaReply;

/// <summary>
/// Send the replica's whole durable state of the partition to the sender, in <see cref="PartitionChunk"/>s of about
/// <paramref name="ChunkBytes"/>, one at a time: the next once the previous is acknowledged with
/// <see cref="PartitionChunkStored"/>. A replica syncing with its peers (after losing history, or starting without one)
/// asks each of them; <paramref name="Requester"/> and <paramref name="RequesterEpoch"/> say which replica asks, so a
/// peer that knew another epoch at that address can tell one that started without history
/// (<paramref name="RequesterFresh"/>) that it stands where a replica lost its storage.
/// </summary>
internal sealed record StreamPartition(long RequestId, int Partition, int ChunkBytes, Address Requester, long RequesterEpoch,
    bool RequesterFresh) : IReplicaCommand;

/// <summary>
/// Part of a replica's state sent for a <see cref="StreamPartition"/>; <paramref name="Last"/> ends it.
/// <paramref name="EarlierEpoch"/> is the epoch the sender knew at the requester's address before, when it differs
/// from the requester's (0 when it knew none).
/// </summary>
internal sealed record PartitionChunk(long RequestId, Address Node, KeyValuePair<string, SiblingSet>[] Keys, bool Last, long EarlierEpoch = 0)
    : ILeaderlessWireMessage;

/// <summary>Every key of the previous <see cref="PartitionChunk"/> is durably merged: send the next.</summary>
internal sealed record PartitionChunkStored(long RequestId) : ILeaderlessWireMessage;
