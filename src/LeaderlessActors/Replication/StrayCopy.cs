using LeaderlessActors.Versioning;

namespace LeaderlessActors.Replication;

/// <summary>
/// The rules for a stray copy: a replica holding keys of a partition its node does not own, with no move of that
/// partition in the node's view (a joiner that took in copies from a peer's passing view of the ring, or an earlier owner
/// that was down while its move settled). Nothing reads or anti-entropy-compares such a copy, so a write only it holds
/// would stay there: it hands its keys to the current owners and drops its copy only once every owner stored every key.
/// Pure, so the replica and <see cref="StrayHandover"/> only carry it out.
/// </summary>
internal static class StrayCopy
{
    /// <summary>
    /// Whether <paramref name="self"/>'s copy is a stray that should be handed over: its node is in the ring (one that
    /// leaves hands off as it goes) but not among <paramref name="owners"/>, no move of the partition is known here (a
    /// move has its own end: the earlier owners release once it settles), the node is not still waiting to learn the
    /// moves its peers know (it could not tell a stray from an earlier owner of a move), and the copy holds keys.
    /// </summary>
    public static bool IsStray<TPeer>(IReadOnlyList<TPeer> owners, TPeer self, bool inRing, bool moving, bool historyKnown, int keys) =>
        inRing && historyKnown && !moving && keys > 0 && owners.Count > 0 && !owners.Contains(self);

    /// <summary>
    /// The keys of <paramref name="held"/> that the owners have not all stored yet: those with no state in
    /// <paramref name="handedOver"/> (what every owner acknowledged) that descends the held one. A key written again
    /// since it was handed over is handed over again; empty states (keys already dropped) are nothing to hand over.
    /// </summary>
    public static KeyValuePair<string, SiblingSet>[] NotHandedOver(IEnumerable<KeyValuePair<string, SiblingSet>> held,
        IReadOnlyDictionary<string, SiblingSet> handedOver) =>
        held.Where(kv => kv.Value.Clock.Count > 0 && !(handedOver.TryGetValue(kv.Key, out var handed) && handed.Descends(kv.Value)))
            .ToArray();
}
