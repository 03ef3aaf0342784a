using System.Collections.Immutable;
using Akka.Actor;
using LeaderlessActors.Coordination;
using LeaderlessActors.Membership;
using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>How a plan orders its targets when remoting has lost one of them (see <see cref="TopologySnapshot.Disconnected"/>).</summary>
public sealed class RequestPlanSpecs
{
    private static readonly Address[] Nodes = [.. Enumerable.Range(1, 4).Select(i => new Address("akka.tcp", "s", $"n{i}", 1))];

    private static TopologySnapshot Topology(Address self, params Address[] disconnected) =>
        new(self, new HashRing(Nodes, 8, 3, 4), [], Nodes.ToImmutableDictionary(n => n, _ => (IActorRef)ActorRefs.Nobody))
        {
            Disconnected = [.. disconnected],
        };

    [Fact]
    public void A_disconnected_primary_stays_a_target_but_comes_after_the_connected_ones()
    {
        var self = Nodes.First(n => !new HashRing(Nodes, 8, 3, 4).PreferenceList(0).Contains(n)); // holds no replica of partition 0
        var primaries = new HashRing(Nodes, 8, 3, 4).PreferenceList(0);

        var plan = RequestPlan.Create(Topology(self, primaries[0]), 1, "k", 0, required: 2, TimeSpan.FromSeconds(1), QuorumRule.EveryGroup);

        Assert.Equal([.. primaries.Skip(1), primaries[0]], plan.TargetNodes);
        Assert.Empty(plan.Unreachable);
    }

    [Fact]
    public void With_every_target_connected_the_plan_keeps_the_preference_order()
    {
        var primaries = new HashRing(Nodes, 8, 3, 4).PreferenceList(0);

        var plan = RequestPlan.Create(Topology(Nodes[0]), 1, "k", 0, required: 2, TimeSpan.FromSeconds(1), QuorumRule.EveryGroup);

        Assert.Equal(primaries, plan.TargetNodes);
    }
}
