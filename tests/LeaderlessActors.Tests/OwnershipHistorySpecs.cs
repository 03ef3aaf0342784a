using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The handoff's decisions, without actors: which owners must be filled, from whom, and when a move is over.</summary>
public sealed class OwnershipHistorySpecs
{
    private static readonly HashSet<string> FiveMembers = ["a", "b", "c", "d", "e"];

    private static OwnershipHistory<string> Moved(OwnershipHistory<string> history, string[] before, string[] after,
        IReadOnlySet<string>? members = null) =>
        history.Advance(_ => before, _ => after, 1, members ?? FiveMembers);

    [Fact]
    public void New_owners_must_be_filled_from_every_earlier_owner_including_those_that_are_no_longer_owners()
    {
        var move = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["c", "d", "e"]).MoveOf(0)!;

        Assert.Equal(["d", "e"], move.Pending.Order());
        Assert.False(move.NeedsFill("c")); // an owner in every owner set is not new
        Assert.Equal(["a", "b", "c"], move.Sources.Order());
    }

    [Fact]
    public void An_unchanged_owner_set_starts_no_move_and_a_first_ring_knows_no_history()
    {
        Assert.Null(Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["a", "b", "c"]).MoveOf(0));
        Assert.Null(Moved(OwnershipHistory<string>.Empty, [], ["a", "b", "c"]).MoveOf(0));
    }

    [Fact]
    public void An_owner_set_that_only_grew_starts_no_move_but_one_that_grows_while_another_move_is_under_way_joins_it()
    {
        Assert.Null(Moved(OwnershipHistory<string>.Empty, ["a", "b"], ["a", "b", "c"]).MoveOf(0));

        var moving = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["a", "d"]);
        var grown = Moved(moving, ["a", "d"], ["a", "d", "e"]).MoveOf(0)!;
        Assert.Equal(["d", "e"], grown.Pending.Order());
        Assert.Equal(2, grown.Earlier.Count);
    }

    [Fact]
    public void A_move_settles_once_every_new_owner_confirmed_for_the_current_owners_and_not_before()
    {
        var history = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["c", "d", "e"]);

        var one = history.Completed(0, "d", ["c", "d", "e"]);
        Assert.Equal(["d"], one.MoveOf(0)!.Filled);
        Assert.NotNull(one.Completed(0, "e", ["a", "d", "e"]).MoveOf(0)); // a confirmation for other owners counts for nothing
        Assert.Null(one.Completed(0, "e", ["c", "d", "e"]).MoveOf(0));
    }

    [Fact]
    public void A_second_change_before_the_first_settled_keeps_every_earlier_owner_set_and_asks_for_new_confirmations()
    {
        var first = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["a", "b", "d"]).Completed(0, "d", ["a", "b", "d"]);
        Assert.Null(first.MoveOf(0)); // d was the only new owner: settled

        var unsettled = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["a", "b", "d"]);
        var second = Moved(unsettled, ["a", "b", "d"], ["a", "d", "e"]).MoveOf(0)!;

        Assert.Equal(2, second.Earlier.Count);
        Assert.Equal(["a", "b", "c", "d"], second.Sources.Order());
        Assert.True(second.NeedsFill("d")); // d was not an owner in the first set: it is still to be filled
        Assert.True(second.NeedsFill("e"));
        Assert.False(second.NeedsFill("a"));
        Assert.Empty(second.Filled);
    }

    [Fact]
    public void An_owner_that_returns_after_the_ring_moved_without_it_is_a_new_owner_again()
    {
        var away = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["c", "d", "e"], new HashSet<string> { "c", "d", "e" });
        Assert.Equal(["d", "e"], away.MoveOf(0)!.Pending.Order()); // a and b left the ring: d and e fill from c alone
        Assert.Equal(["c"], away.MoveOf(0)!.Sources);
        var settled = away.Completed(0, "d", ["c", "d", "e"]).Completed(0, "e", ["c", "d", "e"]);

        var back = Moved(settled, ["c", "d", "e"], ["a", "b", "c"]).MoveOf(0)!;

        Assert.Equal(["a", "b"], back.Pending.Order());
        Assert.Equal(["c", "d", "e"], back.Sources.Order());
    }

    [Fact]
    public void Earlier_owners_that_left_the_ring_are_no_longer_sources()
    {
        var history = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["c", "d", "e"]);

        var pruned = history.Advance(_ => ["c", "d", "e"], _ => ["c", "d", "e"], 1, new HashSet<string> { "b", "c", "d", "e" });

        Assert.Equal(["b", "c"], pruned.MoveOf(0)!.Sources.Order());
    }

    [Fact]
    public void A_peer_s_move_for_the_same_owners_adds_its_earlier_owners_and_confirmations_and_one_for_other_owners_is_ignored()
    {
        var theirs = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["c", "d", "e"]).Completed(0, "d", ["c", "d", "e"]).MoveOf(0)!;

        var learned = OwnershipHistory<string>.Empty.Merge(0, theirs, ["c", "d", "e"], FiveMembers).MoveOf(0)!;
        Assert.Equal(["a", "b", "c"], learned.Sources.Order());
        Assert.Equal(["d"], learned.Filled);
        Assert.Equal(["e"], learned.Pending.Except(learned.Filled));

        Assert.Null(OwnershipHistory<string>.Empty.Merge(0, theirs, ["a", "d", "e"], FiveMembers).MoveOf(0));
    }

    [Fact]
    public void A_peer_s_stale_copy_of_a_move_that_settled_here_does_not_start_it_again_but_one_with_an_unknown_earlier_owner_set_does()
    {
        var moving = Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["c", "d", "e"]);
        var stale = moving.MoveOf(0)!; // a peer that has not heard the confirmations yet
        var settled = moving.Completed(0, "d", ["c", "d", "e"]).Completed(0, "e", ["c", "d", "e"]);
        Assert.Null(settled.MoveOf(0));

        Assert.Null(settled.Merge(0, stale, ["c", "d", "e"], FiveMembers).MoveOf(0));

        // The peer saw the owners pass through a set this node never saw: what was written there is not filled yet.
        var elsewhere = Moved(Moved(OwnershipHistory<string>.Empty, ["a", "b", "c"], ["a", "b", "e"]), ["a", "b", "e"], ["c", "d", "e"]).MoveOf(0)!;
        var restarted = settled.Merge(0, elsewhere, ["c", "d", "e"], FiveMembers).MoveOf(0)!;
        Assert.Equal(["c", "d", "e"], restarted.Pending.Order()); // c was no owner in a, b, e either
        Assert.Empty(restarted.Filled);

        // Once the owners change again, the settled move is history: a peer's move for the new owners is taken in.
        var changed = Moved(settled, ["c", "d", "e"], ["a", "d", "e"]);
        var again = Moved(changed, ["a", "d", "e"], ["c", "d", "e"]);
        Assert.NotNull(again.MoveOf(0));
    }
}
