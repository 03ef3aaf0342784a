using Akka.Actor;
using LeaderlessActors.Replication;
using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.AntiEntropy;

// The replica commands an anti-entropy exchange sends to each replica of a partition, and their answers. Repairs travel
// as ordinary MergeKeyState merges, answered with KeyStored or ReplicaFailed.

/// <summary>The hashes of <paramref name="Nodes"/> at <paramref name="Level"/> of the replica's Merkle tree (0: the root),
/// in a tree of <paramref name="Fanout"/> and <paramref name="Depth"/>. Answered with <see cref="TreeHashesRead"/>, or
/// <see cref="ReplicaFailed"/> when the replica's tree has another shape.</summary>
internal sealed record ReadTreeHashes(long RequestId, int Partition, int Fanout, int Depth, int Level, int[] Nodes) : IReplicaCommand;

/// <summary>The hashes asked for by <see cref="ReadTreeHashes"/>, in the order asked.</summary>
internal sealed record TreeHashesRead(long RequestId, Address Node, ulong[] Hashes) : ILeaderlessWireMessage;

/// <summary>Every key of <paramref name="Leaves"/> of the replica's tree with its entry hash. Answered with
/// <see cref="TreeLeavesRead"/>.</summary>
internal sealed record ReadTreeLeaves(long RequestId, int Partition, int Fanout, int Depth, int[] Leaves) : IReplicaCommand;

/// <summary>The entries of the leaves asked for by <see cref="ReadTreeLeaves"/>.</summary>
internal sealed record TreeLeavesRead(long RequestId, Address Node, KeyValuePair<string, ulong>[] Entries) : ILeaderlessWireMessage;

/// <summary>The replica's durable states of <paramref name="Keys"/>, as many as fit about <paramref name="MaxBytes"/>
/// (at least one). Answered with <see cref="KeyStatesRead"/>.</summary>
internal sealed record ReadKeyStates(long RequestId, int Partition, string[] Keys, long MaxBytes) : IReplicaCommand;

/// <summary>The states of the first keys asked for by <see cref="ReadKeyStates"/> (empty for a key the replica lacks); the
/// rest are asked again.</summary>
internal sealed record KeyStatesRead(long RequestId, Address Node, KeyValuePair<string, SiblingSet>[] States) : ILeaderlessWireMessage;

/// <summary>Every owner of the partition held a tree with root <paramref name="Root"/> (an exchange found them all in
/// sync): a replica whose root is still that marks its tombstones as held by every owner, and drops those marked longer
/// than the tombstone grace ago. Not answered.</summary>
internal sealed record MarkStable(long RequestId, int Partition, ulong Root) : IReplicaCommand;
