using System.Collections.Immutable;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// A partition whose owner set changed and is not yet settled: its current <see cref="Owners"/>, the owner sets it had
/// before (<see cref="Earlier"/>, every one since it was last settled, members that left the ring taken out), and the
/// current owners that confirmed being filled from all of them (<see cref="Filled"/>). A current owner that was not an
/// owner in every earlier set may lack acknowledged writes (<see cref="NeedsFill"/>): it takes writes at once but does
/// not vote in read quorums until it has every key of every earlier owner. Pure; <typeparamref name="TPeer"/> is a
/// node's address in the store, anything comparable in tests.
/// </summary>
internal sealed record PartitionMove<TPeer>(
    ImmutableArray<TPeer> Owners,
    ImmutableList<ImmutableHashSet<TPeer>> Earlier,
    ImmutableHashSet<TPeer> Filled) where TPeer : notnull
{
    /// <summary>Every earlier owner: whom a filling owner streams from (it needs all of them).</summary>
    public ImmutableHashSet<TPeer> Sources => [.. Earlier.SelectMany(set => set)];

    /// <summary>Whether <paramref name="node"/> is a current owner that missed at least one earlier owner set.</summary>
    public bool NeedsFill(TPeer node) => Owners.Contains(node) && Earlier.Any(set => !set.Contains(node));

    /// <summary>The current owners that must be filled before they vote.</summary>
    public IEnumerable<TPeer> Pending => Owners.Where(NeedsFill);

    /// <summary>Every owner that needed filling confirmed it: the move is over and its history can go.</summary>
    public bool Settled => Pending.All(Filled.Contains);

    /// <summary>Whether <paramref name="owners"/> are this move's current owners, in the same order.</summary>
    public bool IsFor(IReadOnlyList<TPeer> owners) => Owners.SequenceEqual(owners);

    /// <summary>This move with <paramref name="set"/> among its earlier owner sets (each set once).</summary>
    internal PartitionMove<TPeer> WithEarlier(ImmutableHashSet<TPeer> set) =>
        set.IsEmpty || Earlier.Any(e => e.SetEquals(set)) ? this : this with { Earlier = Earlier.Add(set) };
}
