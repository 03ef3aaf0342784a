using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>Journal event: the replica started empty and took a new random identity (epoch) for the dots it issues.</summary>
internal sealed record ReplicaEpochStarted(long ReplicaId) : ILeaderlessWireMessage;

/// <summary>Journal event: a key's state after a coordinated write or a merge.</summary>
internal sealed record KeyUpdated(string Key, SiblingSet State) : ILeaderlessWireMessage;

/// <summary>Snapshot of a whole partition replica.</summary>
internal sealed record ReplicaSnapshot(long ReplicaId, KeyValuePair<string, SiblingSet>[] Keys) : ILeaderlessWireMessage;
