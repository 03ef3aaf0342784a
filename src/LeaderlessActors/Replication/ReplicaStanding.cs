using System.Collections.Immutable;
using Akka.Actor;

namespace LeaderlessActors.Replication;

/// <summary>
/// A replica's identity and standing apart from its keys: its epoch (the id of the dots it issues), whether and why it
/// needs repair, and the epochs of the peer replicas that synced with it. Immutable, changed only by applying the
/// journal's markers, so the replica keeps one copy that runs ahead of the journal and one that only confirmed markers
/// change (what a snapshot may contain).
/// </summary>
internal sealed record ReplicaStanding(long ReplicaId, RepairNeed? Repair, ImmutableDictionary<Address, long> PeerEpochs)
{
    public static readonly ReplicaStanding None = new(0, null, ImmutableDictionary<Address, long>.Empty);

    public static ReplicaStanding Of(long replicaId, RepairNeed? repair, IEnumerable<KeyValuePair<Address, long>> peerEpochs) =>
        new(replicaId, repair, ImmutableDictionary.CreateRange(peerEpochs));

    /// <summary>The standing after <paramref name="marker"/>; throws for an entry that is not a replica marker.</summary>
    public ReplicaStanding Apply(object marker) =>
        ApplyIfMarker(marker) ?? throw new ArgumentException($"{marker.GetType().Name} is not a replica marker", nameof(marker));

    /// <summary>The standing after <paramref name="entry"/> when it is a replica marker, otherwise null.</summary>
    public ReplicaStanding? ApplyIfMarker(object entry) => entry switch
    {
        ReplicaEpochStarted e => this with { ReplicaId = e.ReplicaId, Repair = RepairNeed.Fresh },
        ReplicaHistoryLost e => this with { ReplicaId = e.ReplicaId, Repair = new RepairNeed(e.Reason, FromEveryPeer: true) },
        // Only the repair of the current epoch ends the need; an older marker (its epoch lost since) changes nothing.
        ReplicaResynced e => e.ReplicaId == ReplicaId ? this with { Repair = null } : this,
        PeerReplicaSeen e => this with { PeerEpochs = PeerEpochs.SetItem(e.Node, e.ReplicaId) },
        _ => null,
    };
}
