using Akka.Actor;
using LeaderlessActors.Coordination;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>The quorum rule while a partition moves: a write needs W in every owner set, a read R voters in any one.</summary>
public sealed class MoveQuorumSpecs
{
    private static readonly Address[] Nodes = Enumerable.Range(0, 5).Select(i => new Address("akka.tcp", "s", "127.0.0.1", 2550 + i)).ToArray();
    private static readonly Address[] Earlier = [Nodes[0], Nodes[1], Nodes[2]];
    private static readonly Address[] Current = [Nodes[2], Nodes[3], Nodes[4]];
    private static readonly IReadOnlyList<IReadOnlyList<Address>> Groups = [Current, Earlier];

    [Fact]
    public void A_write_during_a_move_is_met_only_with_W_acknowledgements_in_the_current_and_in_every_earlier_owner_set()
    {
        var tally = new QuorumTally(Nodes, 2, Groups, QuorumRule.EveryGroup);
        tally.Succeed(Nodes[3]);
        tally.Succeed(Nodes[4]);
        Assert.False(tally.IsMet); // W of the new owners alone
        tally.Succeed(Nodes[0]);
        Assert.False(tally.IsMet);
        tally.Succeed(Nodes[1]);
        Assert.True(tally.IsMet);
    }

    [Fact]
    public void A_read_during_a_move_is_met_with_R_voters_in_any_one_owner_set()
    {
        var tally = new QuorumTally(Nodes, 2, Groups, QuorumRule.AnyGroup);
        tally.Succeed(Nodes[1]);
        tally.Succeed(Nodes[3]);
        Assert.False(tally.IsMet); // one voter in each set is a quorum of neither
        tally.Succeed(Nodes[0]);
        Assert.True(tally.IsMet);
    }

    [Fact]
    public void Every_write_met_during_a_move_shares_a_replica_with_every_read_met_during_it()
    {
        var subsets = Enumerable.Range(0, 1 << Nodes.Length).Select(mask => Nodes.Where((_, i) => (mask & (1 << i)) != 0).ToArray()).ToArray();
        foreach (var written in subsets.Where(s => Met(s, QuorumRule.EveryGroup)))
        foreach (var read in subsets.Where(s => Met(s, QuorumRule.AnyGroup)))
            Assert.True(written.Intersect(read).Any(), $"write on [{string.Join(", ", written)}] and read of [{string.Join(", ", read)}] share no replica");
    }

    [Fact]
    public void Unreachable_owners_count_in_no_set_so_a_write_is_infeasible_when_an_earlier_set_lacks_W_reachable_owners()
    {
        var reachable = Nodes.Except([Nodes[0], Nodes[1]]).ToArray();
        Assert.False(new QuorumTally(reachable, 2, Groups, QuorumRule.EveryGroup).CanStillBeMet);
        Assert.True(new QuorumTally(reachable, 2, Groups, QuorumRule.AnyGroup).CanStillBeMet);
    }

    private static bool Met(IEnumerable<Address> answered, QuorumRule rule)
    {
        var tally = new QuorumTally(Nodes, 2, Groups, rule);
        foreach (var node in answered) tally.Succeed(node);
        return tally.IsMet;
    }
}
