using Akka.Actor;

namespace LeaderlessActors.Coordination;

/// <summary>
/// Which replicas a hedging read asks first: R of them, this node's own replica when it is a target (no network hop),
/// then the next targets in the plan's order (preference order, disconnected ones last). Only a simple plan is narrowed;
/// any other read asks every target at once, as without hedging.
/// </summary>
internal static class ReadRounds
{
    /// <summary>The plan's targets in the order a read asks them, and how many it asks first (all of them when the plan
    /// is not narrowed).</summary>
    public static ((Address Node, IActorRef Host)[] Order, int First) Of(RequestPlan plan, Address? self, bool hedging)
    {
        var order = plan.Targets.ToArray();
        if (!hedging || !IsSimple(plan)) return (order, order.Length);
        var local = Array.FindIndex(order, t => t.Node == self);
        if (local > 0)
        {
            // Shift the ones before it back by one rather than swap, so the others keep their preference order.
            var own = order[local];
            Array.Copy(order, 0, order, 1, local);
            order[0] = own;
        }
        return (order, plan.Required);
    }

    /// <summary>
    /// Whether R replicas asked first can form the quorum on their own: one owner set (no move in progress, whose reads
    /// count in several), no new owner still filling (it does not vote), the moves known, and replicas left to hedge to
    /// (not a read at all, and not one where only R owners are reachable). Any R voters of the one owner set intersect
    /// every write quorum of it, so the narrow round keeps R + W > N.
    /// </summary>
    public static bool IsSimple(RequestPlan plan) =>
        plan.Groups.Count == 1 && plan.Filling.Count == 0 && plan.HistoryKnown && plan.Fallbacks.Count == 0
        && plan.Required < plan.Targets.Count && plan.Required < plan.Primaries.Count;
}
