using Akka.Actor;
using CsCheck;
using LeaderlessActors.Coordination;
using Xunit;
using static LeaderlessActors.Tests.DvvWorld;

namespace LeaderlessActors.Tests;

/// <summary>The pure quorum arithmetic of coordinators: <see cref="QuorumTally"/> and <see cref="ReadQuorum"/>.</summary>
public sealed class QuorumProperties
{
    private static Address Node(int i) => new("akka.tcp", "s", $"n{i}", 1);

    private static Address[] Targets(int n) => Enumerable.Range(0, n).Select(Node).ToArray();

    /// <summary>A reply: from which node (indexes at or past N are not targets), and whether it is a success.</summary>
    private static readonly Gen<(int N, int Required, (int Node, bool Ok)[] Replies)> Tallies =
        Gen.Int[1, 7].SelectMany(n => Gen.Select(Gen.Const(n), Gen.Int[1, n], Gen.Select(Gen.Int[0, n + 1], Gen.Bool).Array[0, 3 * n + 2]));

    [Fact]
    public void QuorumTally_is_met_exactly_when_required_distinct_targets_succeeded_ignoring_duplicates_and_non_targets()
    {
        Tallies.Sample((n, required, replies) =>
        {
            var tally = new QuorumTally(Targets(n), required);
            var first = new Dictionary<int, bool>();
            foreach (var (node, ok) in replies)
            {
                var counts = node < n && !first.ContainsKey(node);
                Assert.Equal(counts, ok ? tally.Succeed(Node(node)) : tally.Fail(Node(node)));
                if (counts) first[node] = ok;
                var succeeded = first.Count(kv => kv.Value);
                Assert.Equal(succeeded, tally.Succeeded);
                Assert.Equal(succeeded >= required, tally.IsMet);
                Assert.Equal(first.Count == n, tally.AllAnswered);
            }
            var successes = first.Where(kv => kv.Value).Select(kv => kv.Key).Order().ToArray();
            Assert.Equal(successes.Select(i => Node(i).ToString()), tally.SucceededNodes());
            Assert.Equal(Enumerable.Range(0, n).Except(successes).Select(i => Node(i).ToString()), tally.MissingNodes());
            Assert.All(Enumerable.Range(0, n + 2), i => Assert.Equal(successes.Contains(i), tally.HasSucceeded(Node(i))));
        }, iter: 2000);
    }

    [Fact]
    public void QuorumTally_can_no_longer_be_met_exactly_when_failures_exceed_N_minus_required()
    {
        Tallies.Sample((n, required, replies) =>
        {
            var tally = new QuorumTally(Targets(n), required);
            var failed = new HashSet<int>();
            var answered = new HashSet<int>();
            foreach (var (node, ok) in replies)
            {
                if (ok) tally.Succeed(Node(node)); else tally.Fail(Node(node));
                if (node < n && answered.Add(node) && !ok) failed.Add(node);
                Assert.Equal(failed.Count <= n - required, tally.CanStillBeMet);
            }
        }, iter: 2000);
    }

    /// <summary>A world's replicas as the N targets of a read, and a sequence of their replies.</summary>
    private static readonly Gen<(DvvWorld World, int Required, (int Node, bool Ok)[] Replies)> Reads =
        Worlds.SelectMany(w => Gen.Select(Gen.Const(w), Gen.Int[1, w.Count], Gen.Select(Gen.Int[0, w.Count + 1], Gen.Bool).Array[0, 3 * w.Count]));

    [Fact]
    public void ReadQuorum_merged_is_the_merge_of_every_recorded_state_and_stale_replicas_are_those_not_descending_it()
    {
        Reads.Sample((world, required, replies) =>
        {
            var quorum = new ReadQuorum(Targets(world.Count), required);
            var recorded = new Dictionary<int, Versioning.SiblingSet>();
            var answered = new HashSet<int>();
            foreach (var (node, ok) in replies)
            {
                var state = world.State(node);
                var counts = node < world.Count && answered.Add(node);
                Assert.Equal(counts, ok ? quorum.Record(Node(node), state) : quorum.RecordFailure(Node(node)));
                if (counts && ok) recorded[node] = state;

                var merged = recorded.Values.Aggregate(Versioning.SiblingSet.Empty, (a, s) => a.Merge(s));
                Assert.Equal(Describe(merged), Describe(quorum.Merged));
                var stale = recorded.Where(kv => !kv.Value.Descends(merged)).Select(kv => Node(kv.Key)).ToHashSet();
                Assert.Equal(stale, quorum.StaleReplicas().ToHashSet());
                // Descending the merge is the same as holding exactly the merge: nothing stale is missed.
                Assert.Equal(recorded.Where(kv => Describe(kv.Value) != Describe(merged)).Select(kv => Node(kv.Key)).ToHashSet(), stale);
                Assert.Equal(recorded.Count >= required, quorum.Tally.IsMet);
            }
        }, iter: 1000);
    }

    [Fact]
    public void ReadQuorum_replica_acknowledging_a_repair_with_the_merge_is_no_longer_stale()
    {
        Worlds.Sample(world =>
        {
            var quorum = new ReadQuorum(Targets(world.Count), world.Count);
            for (var i = 0; i < world.Count; i++) quorum.Record(Node(i), world.State(i));
            var stale = quorum.StaleReplicas();
            foreach (var node in stale.Take(1)) quorum.Repaired(node, quorum.Merged);
            Assert.Equal(stale.Skip(1).ToHashSet(), quorum.StaleReplicas().ToHashSet());
            quorum.Repaired(Node(world.Count + 1), quorum.Merged); // not a replier: ignored
            foreach (var node in stale) quorum.Repaired(node, quorum.Merged);
            Assert.Empty(quorum.StaleReplicas());
        }, iter: 500);
    }

    /// <summary>N targets and R, W with R + W &gt; N; each quorum is the first R or W of its own ordering of the targets.</summary>
    private static readonly Gen<(int N, int R, int W, int[] WriteOrder, int[] ReadOrder)> OverlappingQuorums =
        Gen.Int[1, 9].SelectMany(n => Gen.Int[1, n].SelectMany(w => Gen.Select(Gen.Const(n), Gen.Int[n - w + 1, n], Gen.Const(w),
            Gen.Shuffle(Enumerable.Range(0, n).ToArray()), Gen.Shuffle(Enumerable.Range(0, n).ToArray()))));

    [Fact]
    public void Quorums_intersect_whenever_R_plus_W_exceeds_N()
    {
        OverlappingQuorums.Sample((n, r, w, writeOrder, readOrder) =>
        {
            var write = new QuorumTally(Targets(n), w);
            var read = new QuorumTally(Targets(n), r);
            foreach (var i in writeOrder.Take(w)) write.Succeed(Node(i));
            foreach (var i in readOrder.Take(r)) read.Succeed(Node(i));
            Assert.True(write.IsMet && read.IsMet);
            Assert.NotEmpty(write.SucceededNodes().Intersect(read.SucceededNodes()));
        }, iter: 2000);
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 3)]
    [InlineData(16, 9)]
    public void Consistency_Quorum_is_a_majority_so_quorum_reads_and_writes_overlap(int n, int majority)
    {
        Assert.Equal(majority, Consistency.Quorum.RequiredFor(n));
        Assert.True(2 * Consistency.Quorum.RequiredFor(n) > n);
        Assert.Equal(1, Consistency.One.RequiredFor(n));
        Assert.Equal(n, Consistency.All.RequiredFor(n));
    }
}
