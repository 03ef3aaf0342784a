using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Tests.Replication;

/// <summary>Replica cores for specs that drive one directly: a fresh core that took <c>epoch</c> and was repaired, so it
/// votes, and client writes through it, confirmed at once as if the journal took them.</summary>
internal static class VotingCores
{
    public static ReplicaCore<string, string> New(long epoch, bool recover = true)
    {
        var core = new ReplicaCore<string, string>(10, 1000, () => epoch);
        if (!recover) return core;
        core.RecoveryCompleted(0);
        core.MarkerConfirmed(core.StartEpoch());
        core.PeersChecked();
        core.MarkerConfirmed(core.ResyncCompleted()!);
        return core;
    }

    /// <summary>A client write of <paramref name="value"/> (null: a delete), confirmed; returns the key's new state.</summary>
    public static SiblingSet WriteConfirmed(this ReplicaCore<string, string> core, long requestId, string key, byte[]? value,
        VersionVector? context = null)
    {
        var pending = core.CoordinateWrite("client", requestId, key, context ?? VersionVector.Empty, value, maxSiblings: 10).Persist!;
        return core.KeyConfirmed(pending).State;
    }

    /// <summary>The root of the core's Merkle tree: what an exchange compares and a MarkStable names.</summary>
    public static ulong Root(this ReplicaCore<string, string> core) => core.Tree.Hashes(0, [0])[0];
}
