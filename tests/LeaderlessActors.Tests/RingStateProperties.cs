using Akka.Actor;
using CsCheck;
using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The agreed ring's pure logic: the merge of ring states (<see cref="RingState"/>) and the rules that turn
/// observed membership into ring changes (<see cref="RingTransitions"/>).</summary>
public sealed class RingStateProperties
{
    private static Address Node(int i) => new("akka.tcp", "leaderless", "127.0.0.1", 4050 + i);

    private static readonly Gen<RingEntry> Entries =
        Gen.Select(Gen.Int[1, 4], Gen.Enum<RingMemberStatus>(), Gen.Long[1, 5], Gen.Int[1, 3])
            .Select((node, status, version, incarnation) => new RingEntry(Node(node), status, version, incarnation));

    private static readonly Gen<RingState> States = Entries.Array[0, 8].Select(RingState.Of);

    [Fact]
    public void RingState_merge_is_commutative_so_the_order_gossip_arrives_in_does_not_matter()
    {
        Gen.Select(States, States).Sample((a, b) =>
            Assert.True(a.Merge(b.Entries.Values).SameAs(b.Merge(a.Entries.Values))), iter: 500);
    }

    [Fact]
    public void RingState_merge_is_associative_and_idempotent_so_repeated_and_relayed_gossip_converges()
    {
        Gen.Select(States, States, States).Sample((a, b, c) =>
        {
            var left = a.Merge(b.Entries.Values).Merge(c.Entries.Values);
            var right = a.Merge(b.Merge(c.Entries.Values).Entries.Values);
            Assert.True(left.SameAs(right));
            Assert.True(left.Merge(left.Entries.Values).SameAs(left));
            Assert.Same(left, left.Merge(b.Entries.Values)); // nothing new: the same state, no change to keep or send
        }, iter: 500);
    }

    [Fact]
    public void RingState_merge_keeps_the_higher_version_and_between_equal_versions_the_removal()
    {
        var owner = new RingEntry(Node(1), RingMemberStatus.Owner, 3, 1);
        var down = new RingEntry(Node(1), RingMemberStatus.Down, 2, 1);
        var removed = new RingEntry(Node(1), RingMemberStatus.Removed, 3, 1);
        Assert.Equal(owner, RingState.Of([down, owner]).EntryOf(Node(1)));
        Assert.Equal(owner, RingState.Of([owner, down]).EntryOf(Node(1)));
        Assert.Equal(removed, RingState.Of([owner, removed]).EntryOf(Node(1)));
        Assert.Equal(removed, RingState.Of([removed, owner]).EntryOf(Node(1)));
    }

    [Fact]
    public void A_downed_owner_stays_in_the_ring_marked_down()
    {
        var ring = RingTransitions.Observe(RingState.Empty, Node(1), 7, ObservedMembership.Up);
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down);
        Assert.Equal(RingMemberStatus.Down, ring.StatusOf(Node(1)));
        Assert.Equal([Node(1)], ring.Owners);
    }

    [Fact]
    public void A_restarted_owner_takes_its_place_back_and_news_of_its_old_incarnation_does_not_mark_it_down()
    {
        var ring = RingTransitions.Observe(RingState.Empty, Node(1), 7, ObservedMembership.Up);
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down);
        ring = RingTransitions.Observe(ring, Node(1), 8, ObservedMembership.Joining);
        Assert.Equal(RingMemberStatus.Down, ring.StatusOf(Node(1))); // still an owner while it joins
        ring = RingTransitions.Observe(ring, Node(1), 8, ObservedMembership.Up);
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down);
        Assert.Equal(RingMemberStatus.Owner, ring.StatusOf(Node(1)));
    }

    [Fact]
    public void A_completed_graceful_leave_takes_the_node_out_of_the_ring()
    {
        var ring = RingTransitions.Observe(RingState.Empty, Node(1), 7, ObservedMembership.Up);
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Leaving);
        Assert.Equal([Node(1)], ring.Owners); // it keeps its partitions until the leave completes
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Left);
        Assert.Empty(ring.Owners);
        Assert.Equal(RingMemberStatus.Removed, ring.StatusOf(Node(1)));
    }

    [Fact]
    public void An_operators_removal_is_final_for_that_incarnation_but_a_new_incarnation_joins_again()
    {
        var ring = RingTransitions.Observe(RingState.Empty, Node(1), 7, ObservedMembership.Up);
        ring = RingTransitions.Remove(RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down), Node(1));
        Assert.Empty(ring.Owners);
        // An observer that lags behind still sees the removed incarnation up, or downed: no way back.
        Assert.Same(ring, RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Up));
        Assert.Same(ring, RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down));
        ring = RingTransitions.Observe(ring, Node(1), 9, ObservedMembership.Up);
        Assert.Equal(RingMemberStatus.Owner, ring.StatusOf(Node(1)));
    }

    [Fact]
    public void A_node_downed_before_it_was_ever_up_owned_nothing_and_is_out()
    {
        var ring = RingTransitions.Observe(RingState.Empty, Node(1), 7, ObservedMembership.Joining);
        Assert.Empty(ring.Owners);
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down);
        Assert.Equal(RingMemberStatus.Removed, ring.StatusOf(Node(1)));
    }

    [Fact]
    public void A_leave_under_way_stays_the_intent_when_the_leaving_node_is_downed()
    {
        var ring = RingTransitions.Observe(RingState.Empty, Node(1), 7, ObservedMembership.Up);
        ring = RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Leaving);
        Assert.Same(ring, RingTransitions.Observe(ring, Node(1), 7, ObservedMembership.Down));
    }
}
