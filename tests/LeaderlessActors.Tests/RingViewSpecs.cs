using System.Collections.Immutable;
using Akka.Actor;
using LeaderlessActors.Membership;
using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The public ring view is built once per topology, not on every read.</summary>
public sealed class RingViewSpecs
{
    private static Address Node(int i) => new("akka.tcp", "s", $"n{i}", 1);

    [Fact]
    public void The_same_topology_gives_the_same_view_and_a_changed_one_a_new_view_that_shows_the_change()
    {
        var ring = new HashRing([Node(1), Node(2), Node(3)], 16, 3, 16);
        var topology = new TopologySnapshot(Node(1), ring, [], ImmutableDictionary<Address, IActorRef>.Empty);

        var view = RingView.Of(topology);
        Assert.Same(view, RingView.Of(topology));
        Assert.Equal(16, view.PreferenceLists.Count);

        var changed = topology with { Unreachable = [Node(3)] };
        var after = RingView.Of(changed);
        Assert.NotSame(view, after);
        Assert.False(after.IsReachable(Node(3)));
        Assert.True(view.IsReachable(Node(3)));
    }
}
