using Akka.Actor;

namespace LeaderlessActors.Partitioning;

/// <summary>What a node observed of one Akka incarnation of a ring node, as far as the ring cares.</summary>
internal enum ObservedMembership
{
    /// <summary>Joining or weakly up: not yet a full member.</summary>
    Joining,
    /// <summary>Up.</summary>
    Up,
    /// <summary>Leaving or exiting: a graceful leave is under way.</summary>
    Leaving,
    /// <summary>Downed, or removed without a leave (a crash, a lost side of a partition).</summary>
    Down,
    /// <summary>Removed after exiting: the graceful leave completed.</summary>
    Left,
}

/// <summary>
/// The ring's rules, pure: how an observation of Akka membership changes a node's record. Only intent takes a node out
/// (a completed leave here, an operator's removal in <see cref="Remove"/>); a downing marks an owner down and keeps its
/// partitions where they are. A removal is final for the incarnation it removed, so an observer that lags behind (and
/// still sees that incarnation up, or sees it downed) never brings it back; a new incarnation at the same address joins
/// again like any node.
/// </summary>
internal static class RingTransitions
{
    public static RingState Observe(RingState state, Address node, int incarnation, ObservedMembership observed)
    {
        var entry = state.EntryOf(node);
        if (entry is { Status: RingMemberStatus.Removed } && entry.Incarnation == incarnation) return state;
        var owns = entry is { OwnsPartitions: true };
        return observed switch
        {
            // A restarted owner passes through joining again: it keeps its record (and its partitions) meanwhile.
            ObservedMembership.Joining when owns => state,
            ObservedMembership.Joining => state.With(node, RingMemberStatus.Joining, incarnation),
            ObservedMembership.Up => state.With(node, RingMemberStatus.Owner, incarnation),
            ObservedMembership.Leaving => state.With(node, RingMemberStatus.Leaving, incarnation),
            // A newer incarnation's record is not marked down by news of an older one.
            ObservedMembership.Down when entry is not null && entry.Incarnation != incarnation && entry.Incarnation != 0 => state,
            // A leave that was under way stays the intent; the node still owns its partitions until removed.
            ObservedMembership.Down when entry is { Status: RingMemberStatus.Leaving } => state,
            ObservedMembership.Down when owns => state.With(node, RingMemberStatus.Down, incarnation),
            // A node downed before it was ever up owned nothing: it is simply out.
            ObservedMembership.Down => state.With(node, RingMemberStatus.Removed, incarnation),
            ObservedMembership.Left => state.With(node, RingMemberStatus.Removed, incarnation),
            _ => state,
        };
    }

    /// <summary>An operator's removal of <paramref name="node"/>: out of the ring for the incarnation it had. Unchanged
    /// when the node is not in the ring or already removed.</summary>
    public static RingState Remove(RingState state, Address node) =>
        state.EntryOf(node) is { Status: not RingMemberStatus.Removed } entry
            ? state.With(node, RingMemberStatus.Removed, entry.Incarnation)
            : state;
}
