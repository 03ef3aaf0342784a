using LeaderlessActors.Membership;
using Akka.Actor;
using Akka.Serialization;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Serialization;

/// <summary>
/// The store's own Hyperion serializer for every <see cref="ILeaderlessWireMessage"/>, bound in reference.conf (a
/// config binding survives Akka rebuilding its serialization whenever an extension injects config), under its own id so
/// its settings never touch the application's Hyperion: the store's types are known to every node, so messages carry a
/// type index instead of full type names (a replica's reply shrinks from about 1.1 KB to about 0.4 KB), and there are
/// no object-reference tables to build. Version tolerance stays on, because journal events are read back by later versions.
/// Incoming bytes may name only the types of <see cref="WireTypeFilter"/>: nothing else is loaded by name.
/// </summary>
internal class WireSerializer(ExtendedActorSystem system)
    : HyperionSerializer(system, HyperionSerializerSettings.Default
        .WithPreserveObjectReference(false).WithVersionTolerance(true).WithKnownTypesProvider(typeof(WireKnownTypes))
        .WithDisallowUnsafeType(true).WithTypeFilter(WireTypeFilter.Instance))
{
    /// <summary>Outside Akka's reserved range (0-40) and Hyperion's own id.</summary>
    public const int Id = 1741;

    public sealed override int Identifier => Id;
}

/// <summary>
/// The types every node knows, by position: the list is part of the wire and journal format, so entries are only ever
/// appended, never removed or reordered.
/// </summary>
internal sealed class WireKnownTypes : IKnownTypesProvider
{
    public IEnumerable<Type> GetKnownTypes() =>
    [
        typeof(ReadKey), typeof(CoordinateWrite), typeof(MergeKeyState), typeof(InspectKey),
        typeof(KeyRead), typeof(WriteCoordinated), typeof(KeyStored), typeof(KeyInspected), typeof(ReplicaFailed),
        typeof(ReplicaFailure), typeof(ReplicaEpochStarted), typeof(KeyUpdated), typeof(ReplicaSnapshot),
        typeof(KeyValuePair<string, SiblingSet>), typeof(KeyValuePair<string, SiblingSet>[]),
        typeof(SiblingSet), typeof(Sibling), typeof(Sibling[]), typeof(VersionVector), typeof(VersionVector.Entry),
        typeof(VersionVector.Entry[]), typeof(Dot), typeof(Address), typeof(byte[]), typeof(string),
        typeof(GetRequest), typeof(PutRequest), typeof(DeleteRequest), typeof(InspectRequest),
        typeof(GetResponse), typeof(WriteResponse), typeof(InspectResponse), typeof(RequestFailed),
        typeof(ReadOptions), typeof(WriteOptions), typeof(Consistency), typeof(CausalContext),
        typeof(ReadResult), typeof(WriteResult), typeof(KeyInspection), typeof(ReplicaState), typeof(StoredVersion),
        typeof(ReplicaHistoryLost), typeof(ReplicaResynced), typeof(StreamPartition), typeof(PartitionChunk),
        typeof(PartitionChunkStored), typeof(RepairNeed), typeof(PartitionSnapshot),
        typeof(PeerReplicaSeen), typeof(KeyValuePair<Address, long>), typeof(KeyValuePair<Address, long>[]),
        typeof(Contexts.ContextSecretsShared), typeof(Contexts.ContextSecretsWanted), typeof(byte[][]),
        typeof(Membership.RingGossip), typeof(Membership.RingStored), typeof(Partitioning.RingEntry), typeof(Partitioning.RingEntry[]),
        typeof(RingMemberStatus),
        typeof(AntiEntropy.ReadTreeHashes), typeof(AntiEntropy.TreeHashesRead), typeof(AntiEntropy.ReadTreeLeaves),
        typeof(AntiEntropy.TreeLeavesRead), typeof(AntiEntropy.ReadKeyStates), typeof(AntiEntropy.KeyStatesRead),
        typeof(KeyValuePair<string, ulong>), typeof(KeyValuePair<string, ulong>[]), typeof(int[]), typeof(ulong[]), typeof(string[]),
        typeof(AntiEntropy.MarkStable), typeof(TombstonesCollected), typeof(PartitionSnapshotWithCollected),
        typeof(PartitionReleased), typeof(ClocksPruned), typeof(WriteIssued),
    ];
}
