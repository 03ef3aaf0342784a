using Akka.Actor;

namespace LeaderlessActors.Node.Http;

/// <summary>
/// <c>/cluster/handoffs</c>: the partitions this node knows to be moving to new owners, each with its owners, the earlier
/// owners its new owners fill from, and which new owners are filled or still filling.
/// </summary>
internal sealed record HandoffsView(int MovingPartitions, IReadOnlyList<HandoffView> Partitions)
{
    public static HandoffsView Of(ActorSystem system)
    {
        var handoffs = LeaderlessStore.Get(system).Handoffs.Select(h => new HandoffView(h.Partition, Text(h.Owners), Text(h.EarlierOwners),
            Text(h.Filling), Text(h.Filled))).ToArray();
        return new HandoffsView(handoffs.Length, handoffs);
    }

    private static string[] Text(IEnumerable<Address> nodes) => nodes.Select(n => n.ToString()).ToArray();
}

internal sealed record HandoffView(int Partition, IReadOnlyList<string> Owners, IReadOnlyList<string> EarlierOwners,
    IReadOnlyList<string> Filling, IReadOnlyList<string> Filled);
