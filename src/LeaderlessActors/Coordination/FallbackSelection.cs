using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Which nodes stand in for a partition's unreachable owners in a sloppy write: the next usable nodes clockwise after the
/// owners, each standing in for one missing owner (in preference-list order), and never an owner itself, so every voter of
/// the write is a distinct node. Owners left without a fallback (too few nodes) get a hint from the coordinator instead.
/// </summary>
internal static class FallbackSelection
{
    /// <param name="clockwise">Every ring member, clockwise from the partition (its owners first).</param>
    /// <param name="owners">The partition's owners (its preference list).</param>
    /// <param name="missing">The owners the write cannot reach.</param>
    /// <param name="usable">Whether a node can take a hint now (reachable, its host known).</param>
    public static IReadOnlyList<(Address Node, Address StandsFor)> Choose(IReadOnlyList<Address> clockwise, IReadOnlyList<Address> owners,
        IReadOnlyList<Address> missing, Func<Address, bool> usable)
    {
        var candidates = clockwise.Where(node => !owners.Contains(node) && usable(node));
        return owners.Where(missing.Contains).Zip(candidates, (owner, node) => (node, owner)).ToArray();
    }
}
