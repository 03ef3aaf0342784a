using System.Collections.Immutable;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// The partitions of a ring that are moving: for each, the owner sets it had since it was last settled (see
/// <see cref="PartitionMove{TPeer}"/>). Built from consecutive ring snapshots (<see cref="Advance"/>), whatever changed
/// the ring; completed by the owners' confirmations (<see cref="Completed"/>); merged from peers that saw changes this
/// node did not (<see cref="Merge"/>, a node that joined after the change). Immutable and pure.
/// </summary>
internal sealed class OwnershipHistory<TPeer> where TPeer : notnull
{
    public static readonly OwnershipHistory<TPeer> Empty = new(ImmutableDictionary<int, PartitionMove<TPeer>>.Empty,
        ImmutableDictionary<int, PartitionMove<TPeer>>.Empty);

    private readonly ImmutableDictionary<int, PartitionMove<TPeer>> _moves;
    // The last move of each partition that settled here, while no newer one started: a peer that has not heard every
    // confirmation yet still shares it, and taking that in (Merge) would start the finished move again, with no
    // confirmations, on every node it reaches next.
    private readonly ImmutableDictionary<int, PartitionMove<TPeer>> _settled;

    private OwnershipHistory(ImmutableDictionary<int, PartitionMove<TPeer>> moves, ImmutableDictionary<int, PartitionMove<TPeer>> settled) =>
        (_moves, _settled) = (moves, settled);

    /// <summary>The partitions in a move, by partition number.</summary>
    public IReadOnlyDictionary<int, PartitionMove<TPeer>> Moves => _moves;

    /// <summary>The last move of each partition that settled here (every owner that needed filling confirmed it), while
    /// no newer one started: the proof an earlier owner waits for before it drops its copy.</summary>
    public IReadOnlyDictionary<int, PartitionMove<TPeer>> SettledMoves => _settled;

    /// <summary>The move of <paramref name="partition"/>, or null when it is settled.</summary>
    public PartitionMove<TPeer>? MoveOf(int partition) => _moves.GetValueOrDefault(partition);

    /// <summary>
    /// The history after the ring went from <paramref name="before"/> to <paramref name="after"/> owners per partition
    /// (<paramref name="partitions"/> of them); <paramref name="members"/> are the members of the new ring. A partition
    /// whose owners changed records the set it had; an earlier owner that left the ring can no longer be asked and is
    /// taken out. A first ring (no owners before) knows no history: peers share theirs (<see cref="Merge"/>). An owner
    /// set that only grew (a cluster still smaller than N gaining members) starts no move: every write was acknowledged by
    /// W of the earlier owners, all still owners, so at most |owners| - W &lt; R of them lack it and any R voters include
    /// one that holds it.
    /// </summary>
    public OwnershipHistory<TPeer> Advance(Func<int, IReadOnlyList<TPeer>> before, Func<int, IReadOnlyList<TPeer>> after, int partitions,
        IReadOnlySet<TPeer> members)
    {
        var (moves, settled) = (_moves.ToBuilder(), _settled.ToBuilder());
        for (var p = 0; p < partitions; p++)
        {
            var (old, now) = (before(p), after(p));
            var move = moves.GetValueOrDefault(p);
            if (old.Count > 0 && !old.ToHashSet().SetEquals(now) && (move is not null || !old.All(now.Contains)))
                move = (move is null || !move.IsFor(now) ? Start(now, move) : move).WithEarlier([.. old]);
            else if (move is not null && !move.IsFor(now))
                move = move with { Owners = [.. now] }; // the same members in another order: history and confirmations stand
            if (move is not null) Put(moves, settled, p, Prune(move, members));
        }
        return new(moves.ToImmutable(), settled.ToImmutable());
    }

    /// <summary><paramref name="node"/> confirmed that it is filled as an owner of <paramref name="partition"/> among
    /// <paramref name="owners"/>; a confirmation for other owners (an older or newer ring) changes nothing.</summary>
    public OwnershipHistory<TPeer> Completed(int partition, TPeer node, IReadOnlyList<TPeer> owners)
    {
        if (MoveOf(partition) is not { } move || !move.IsFor(owners)) return this;
        var (moves, settled) = (_moves.ToBuilder(), _settled.ToBuilder());
        Put(moves, settled, partition, move with { Filled = move.Filled.Add(node) });
        return new(moves.ToImmutable(), settled.ToImmutable());
    }

    /// <summary>
    /// Takes in a peer's move of <paramref name="partition"/> when it is for the same owners as this node's ring
    /// (<paramref name="owners"/>): its earlier sets and confirmations join this node's. One for other owners is
    /// ignored: the ring views differ, and the node whose ring changes last asks again. So is one that settled here
    /// already (same owners, no earlier owner set this node did not know): the peer merely missed confirmations, which
    /// reach it when it asks the filled owners.
    /// </summary>
    public OwnershipHistory<TPeer> Merge(int partition, PartitionMove<TPeer> theirs, IReadOnlyList<TPeer> owners, IReadOnlySet<TPeer> members)
    {
        if (!theirs.IsFor(owners)) return this;
        var ours = MoveOf(partition) is { } current && current.IsFor(owners) ? current : null;
        if (ours is null && _settled.GetValueOrDefault(partition) is { } done && done.IsFor(owners) && Covers(Prune(done, members), Prune(theirs, members)))
            return this;
        var move = ours ?? Start(owners, null);
        move = theirs.Earlier.Aggregate(move, (m, set) => m.WithEarlier(set)) with { Filled = move.Filled.Union(theirs.Filled) };
        var (moves, settled) = (_moves.ToBuilder(), _settled.ToBuilder());
        Put(moves, settled, partition, Prune(move, members));
        return new(moves.ToImmutable(), settled.ToImmutable());
    }

    // Whether every earlier owner set of `other` is one of `move`'s: `other` tells nothing `move` did not know.
    private static bool Covers(PartitionMove<TPeer> move, PartitionMove<TPeer> other) =>
        other.Earlier.All(set => move.Earlier.Any(set.SetEquals));

    // A new current owner set: the earlier sets stay (an owner filled from them only is not filled from the set it had
    // until now), the confirmations go.
    private static PartitionMove<TPeer> Start(IReadOnlyList<TPeer> owners, PartitionMove<TPeer>? previous) =>
        new([.. owners], previous?.Earlier ?? [], []);

    private static PartitionMove<TPeer> Prune(PartitionMove<TPeer> move, IReadOnlySet<TPeer> members) => move with
    {
        Earlier = move.Earlier.Select(set => set.Where(members.Contains).ToImmutableHashSet()).Where(set => !set.IsEmpty)
            .Aggregate(ImmutableList<ImmutableHashSet<TPeer>>.Empty, (list, set) => list.Any(s => s.SetEquals(set)) ? list : list.Add(set)),
    };

    private static void Put(ImmutableDictionary<int, PartitionMove<TPeer>>.Builder moves,
        ImmutableDictionary<int, PartitionMove<TPeer>>.Builder settled, int partition, PartitionMove<TPeer> move)
    {
        if (move.Settled)
        {
            moves.Remove(partition);
            settled[partition] = move;
        }
        else
        {
            moves[partition] = move;
            settled.Remove(partition);
        }
    }
}
