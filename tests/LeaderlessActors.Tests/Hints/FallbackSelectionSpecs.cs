using Akka.Actor;
using LeaderlessActors.Coordination;
using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.Tests.Hints;

public class FallbackSelectionSpecs
{
    private static Address N(int i) => new("akka.tcp", "s", $"n{i}", 1);

    [Fact]
    public void Each_missing_owner_gets_the_next_usable_non_owner_clockwise_in_preference_order()
    {
        Address[] clockwise = [N(1), N(2), N(3), N(4), N(5), N(6)];
        var chosen = FallbackSelection.Choose(clockwise, [N(1), N(2), N(3)], [N(3), N(1)], node => node != N(4));

        Assert.Equal([(N(5), N(1)), (N(6), N(3))], chosen);
    }

    [Fact]
    public void Owners_beyond_the_available_fallbacks_get_none_and_no_owner_ever_stands_in()
    {
        Address[] clockwise = [N(1), N(2), N(3), N(4)];
        var chosen = FallbackSelection.Choose(clockwise, [N(1), N(2), N(3)], [N(2), N(3)], _ => true);

        Assert.Equal([(N(4), N(2))], chosen);
    }

    [Fact]
    public void The_ring_walk_starts_with_the_preference_list_and_then_visits_every_other_member_once()
    {
        var members = Enumerable.Range(1, 7).Select(N).ToArray();
        var ring = new HashRing(members, partitionCount: 16, replicationFactor: 3, virtualNodes: 16);
        for (var p = 0; p < 16; p++)
        {
            var clockwise = ring.ClockwiseFrom(p);
            Assert.Equal(ring.PreferenceList(p), clockwise.Take(3));
            Assert.Equal(members.OrderBy(m => m.ToString()), clockwise.OrderBy(m => m.ToString()));
        }
    }
}
