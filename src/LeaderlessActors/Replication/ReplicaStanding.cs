using System.Collections.Immutable;

namespace LeaderlessActors.Replication;

/// <summary>
/// A replica's identity and standing apart from its keys: its epoch (the id of the dots it issues), whether and why it
/// needs repair, and the epochs of the peer replicas that synced with it, by <typeparamref name="TPeer"/> (the node's
/// address in the actor; anything comparable in tests), and the epochs it retired (its own earlier identities, whose
/// versions it must recognise as its own). Immutable, changed only by applying the journal's markers, so the
/// replica keeps one copy that runs ahead of the journal and one that only confirmed markers change (what a snapshot may
/// contain).
/// </summary>
internal sealed record ReplicaStanding<TPeer>(long ReplicaEpoch, RepairNeed? Repair, ImmutableDictionary<TPeer, long> PeerEpochs)
    where TPeer : notnull
{
    public static readonly ReplicaStanding<TPeer> None = new(0, null, ImmutableDictionary<TPeer, long>.Empty);

    /// <summary>The epochs this replica issued dots under before its current one.</summary>
    public ImmutableHashSet<long> RetiredEpochs { get; init; } = [];

    /// <summary>The highest counters of its own epochs in the clocks of the tombstones it dropped (see
    /// <see cref="TombstonesCollected"/>).</summary>
    public Versioning.VersionVector Collected { get; init; } = Versioning.VersionVector.Empty;

    public static ReplicaStanding<TPeer> Of(long epoch, RepairNeed? repair, IEnumerable<KeyValuePair<TPeer, long>> peerEpochs,
        IEnumerable<long>? retiredEpochs = null) =>
        new(epoch, repair, ImmutableDictionary.CreateRange(peerEpochs)) { RetiredEpochs = [.. retiredEpochs ?? []] };

    /// <summary>Whether <paramref name="epoch"/> is this replica's epoch, current or retired.</summary>
    public bool IsOwnEpoch(long epoch) => epoch != 0 && (epoch == ReplicaEpoch || RetiredEpochs.Contains(epoch));

    /// <summary>The standing after <paramref name="marker"/>; throws for an entry that is not a replica marker.</summary>
    public ReplicaStanding<TPeer> Apply(object marker) =>
        ApplyIfMarker(marker) ?? throw new ArgumentException($"{marker.GetType().Name} is not a replica marker", nameof(marker));

    /// <summary>The standing after <paramref name="entry"/> when it is a replica marker, otherwise null.</summary>
    public ReplicaStanding<TPeer>? ApplyIfMarker(object entry) => entry switch
    {
        ReplicaEpochStarted e => NewEpoch(e.ReplicaEpoch) with { Repair = RepairNeed.Fresh },
        ReplicaHistoryLost e => NewEpoch(e.ReplicaEpoch) with { Repair = new RepairNeed(e.Reason, FromEveryPeer: true) },
        ReplicaEpochRenewed e => NewEpoch(e.ReplicaEpoch),
        // A lost history's repair asks every owner already; otherwise the handoff's need replaces a lesser one.
        ReplicaHandoffStarted e => e.ReplicaEpoch == ReplicaEpoch && (Repair is not { FromEveryPeer: true } || Repair.IsRelease)
            ? this with { Repair = RepairNeed.Handoff }
            : this,
        // Only the repair of the current epoch ends the need; an older marker (its epoch lost since) changes nothing.
        ReplicaResynced e => e.ReplicaEpoch == ReplicaEpoch ? this with { Repair = null } : this,
        IPeerEpochSeen<TPeer> e => this with { PeerEpochs = PeerEpochs.SetItem(e.Node, e.ReplicaEpoch) },
        TombstonesCollected e => this with { Collected = Collected.Merge(e.Collected) },
        ClocksPruned e => this with { Collected = Collected.Merge(e.Collected) },
        // Any repair need goes with the copy: a replica that holds nothing and does not vote has nothing to repair, and
        // should the partition return it fills from every owner, as a lost history's repair would.
        PartitionReleased e => this with
        {
            Collected = Collected.Merge(e.Collected),
            Repair = e.ReplicaEpoch == ReplicaEpoch ? RepairNeed.Released : Repair,
        },
        _ => null,
    };

    // The current epoch is retired, never forgotten: a peer may still hold versions of it that a restore took away.
    private ReplicaStanding<TPeer> NewEpoch(long epoch) => this with
    {
        ReplicaEpoch = epoch,
        RetiredEpochs = ReplicaEpoch == 0 ? RetiredEpochs : RetiredEpochs.Add(ReplicaEpoch),
    };
}

/// <summary>A marker saying that the replica of <see cref="Node"/> synced with this one as epoch <see cref="ReplicaEpoch"/>;
/// lets the standing fold the stored <see cref="PeerReplicaSeen"/> without knowing how nodes are addressed.</summary>
internal interface IPeerEpochSeen<out TPeer>
{
    TPeer Node { get; }

    long ReplicaEpoch { get; }
}
