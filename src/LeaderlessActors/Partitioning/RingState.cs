using System.Collections.Immutable;
using Akka.Actor;

namespace LeaderlessActors.Partitioning;

/// <summary>
/// One node's record in the agreed ring: its address (host and port, no incarnation, so a node restarted at the same
/// address keeps its place), its status, the version of that status, and the Akka incarnation (unique address uid) the
/// status was observed on (0 when none is known). Each change of a node's record takes a version one past the highest the
/// changing node knew, like a Lamport clock per node. The incarnation lets a removal stay final for the incarnation it
/// removed while a new incarnation of the same address can join again.
/// </summary>
internal sealed record RingEntry(Address Node, RingMemberStatus Status, long Version, int Incarnation)
{
    /// <summary>Whether this record wins over <paramref name="other"/> (a record of the same node): the higher version,
    /// and between equal versions (two nodes changed the record concurrently) the status that carries more intent, then
    /// the higher incarnation uid: a total order, so every node picks the same one whatever order the records arrive in.</summary>
    public bool Supersedes(RingEntry other) =>
        Version != other.Version ? Version > other.Version
        : Status != other.Status ? Rank(Status) > Rank(other.Status)
        : Incarnation > other.Incarnation;

    /// <summary>Whether the node owns partitions: an owner, down or leaving (joining and removed nodes do not).</summary>
    public bool OwnsPartitions => Status is RingMemberStatus.Owner or RingMemberStatus.Down or RingMemberStatus.Leaving;

    // A removal and a leave are decisions; a downing is an observation; being an owner is the default.
    private static int Rank(RingMemberStatus status) => status switch
    {
        RingMemberStatus.Removed => 4,
        RingMemberStatus.Leaving => 3,
        RingMemberStatus.Down => 2,
        RingMemberStatus.Owner => 1,
        _ => 0,
    };
}

/// <summary>
/// The agreed ring: a map from node address to its <see cref="RingEntry"/>, merged entry by entry (the superseding record
/// wins). The merge is commutative, associative and idempotent, so nodes that exchange their states in any order, any
/// number of times, end with the same ring (a state-based CRDT: a last-writer-wins register per node, ordered by version
/// then status). Immutable.
/// </summary>
internal sealed class RingState
{
    public static readonly RingState Empty = new(ImmutableDictionary<Address, RingEntry>.Empty);

    private RingState(ImmutableDictionary<Address, RingEntry> entries) => Entries = entries;

    public ImmutableDictionary<Address, RingEntry> Entries { get; }

    /// <summary>The nodes that own partitions: the members the hash ring is built from.</summary>
    public IEnumerable<Address> Owners => Entries.Values.Where(e => e.OwnsPartitions).Select(e => e.Node);

    public static RingState Of(IEnumerable<RingEntry> entries) => Empty.Merge(entries);

    public RingMemberStatus? StatusOf(Address node) => Entries.TryGetValue(node, out var entry) ? entry.Status : null;

    /// <summary>This state joined with <paramref name="entries"/>: for each node, the superseding record.</summary>
    public RingState Merge(IEnumerable<RingEntry> entries)
    {
        var builder = Entries.ToBuilder();
        foreach (var entry in entries)
            if (!builder.TryGetValue(entry.Node, out var known) || entry.Supersedes(known))
                builder[entry.Node] = entry;
        return builder.Count == Entries.Count && builder.All(kv => ReferenceEquals(Entries.GetValueOrDefault(kv.Key), kv.Value))
            ? this
            : new RingState(builder.ToImmutable());
    }

    public RingEntry? EntryOf(Address node) => Entries.GetValueOrDefault(node);

    /// <summary>This state with <paramref name="node"/> set to <paramref name="status"/> of <paramref name="incarnation"/>
    /// at a version past the one known; unchanged when the node already has that status and incarnation.</summary>
    public RingState With(Address node, RingMemberStatus status, int incarnation)
    {
        var known = Entries.GetValueOrDefault(node);
        if (known is not null && known.Status == status && known.Incarnation == incarnation) return this;
        return new RingState(Entries.SetItem(node, new RingEntry(node, status, (known?.Version ?? 0) + 1, incarnation)));
    }

    /// <summary>Whether both states hold the same records.</summary>
    public bool SameAs(RingState other) =>
        Entries.Count == other.Entries.Count && Entries.All(kv => other.Entries.TryGetValue(kv.Key, out var e) && e == kv.Value);
}
