using LeaderlessActors.Serialization;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>Journal event: the replica started with no history and took a new random identity (epoch) for its dots.</summary>
internal sealed record ReplicaEpochStarted(long ReplicaId) : ILeaderlessStoredEntry
{
    public bool IsWellFormed() => ReplicaId != 0;
}

/// <summary>
/// Journal event: the replica found its history damaged or missing (<paramref name="Reason"/>), kept what it could read,
/// took a new epoch so it never reissues a dot of the lost history, and needs repair from its peers before it votes in
/// read quorums again.
/// </summary>
internal sealed record ReplicaHistoryLost(long ReplicaId, string Reason) : ILeaderlessStoredEntry
{
    public bool IsWellFormed() => ReplicaId != 0 && Reason is not null;
}

/// <summary>Journal event: a full exchange with every peer replica brought back what the lost history held.</summary>
internal sealed record ReplicaResynced(long ReplicaId) : ILeaderlessStoredEntry
{
    public bool IsWellFormed() => ReplicaId != 0;
}

/// <summary>Journal event: a key's state after a coordinated write or a merge.</summary>
internal sealed record KeyUpdated(string Key, SiblingSet State) : ILeaderlessStoredEntry
{
    public bool IsWellFormed() => Key is not null && State?.Clock is not null;
}

/// <summary>Snapshot of a whole partition replica; <paramref name="RepairReason"/> is set while it needs repair.</summary>
internal sealed record ReplicaSnapshot(long ReplicaId, KeyValuePair<string, SiblingSet>[] Keys, string? RepairReason)
    : ILeaderlessStoredEntry
{
    public bool IsWellFormed() => ReplicaId != 0 && Keys is not null;
}
