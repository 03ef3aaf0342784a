using CsCheck;
using LeaderlessActors.Versioning;
using Xunit;
using static LeaderlessActors.Tests.DvvWorld;

namespace LeaderlessActors.Tests;

/// <summary>Properties of dotted version vector sets (<see cref="SiblingSet"/>) and <see cref="VersionVector"/>.</summary>
public sealed class DvvSetProperties
{
    private const int Iterations = 500;

    /// <summary>A world with two distinct replica positions picked in it.</summary>
    private static readonly Gen<(DvvWorld World, int A, int B)> WorldAndTwoReplicas =
        Gen.Select(Worlds, Gen.Int[0, 3], Gen.Int[0, 2]).Select((w, a, d) => (w, a % w.Count, (a % w.Count + 1 + d % (w.Count - 1)) % w.Count));

    private static readonly Gen<(DvvWorld World, int A, int B, int C)> WorldAndThreeStates =
        Gen.Select(Worlds, Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3]);

    [Fact]
    public void DvvWorld_histories_reach_siblings_tombstones_and_diverged_replicas()
    {
        // Guards the generator: properties over states without siblings or divergence would prove little.
        int siblings = 0, tombstones = 0, diverged = 0;
        Worlds.Sample(world =>
        {
            if (world.States.Any(s => s.Siblings.Count > 1)) Interlocked.Increment(ref siblings);
            if (world.States.Any(s => s.Siblings.Any(x => x.IsTombstone))) Interlocked.Increment(ref tombstones);
            if (world.States.Any(s => !s.Descends(world.MergeAll()))) Interlocked.Increment(ref diverged);
        }, iter: Iterations);
        Assert.True(siblings > Iterations / 10, $"{siblings} worlds with siblings");
        Assert.True(tombstones > Iterations / 10, $"{tombstones} worlds with tombstones");
        Assert.True(diverged > Iterations / 10, $"{diverged} worlds with diverged replicas");
    }

    [Fact]
    public void SiblingSet_keeps_both_values_as_siblings_when_two_replicas_put_without_a_context()
    {
        WorldAndTwoReplicas.Sample((world, a, b) =>
        {
            var fromA = world.State(a).Update(VersionVector.Empty, [0xA], world.Id(a));
            var fromB = world.State(b).Update(VersionVector.Empty, [0xB], world.Id(b));
            foreach (var merged in new[] { fromA.Merge(fromB), fromB.Merge(fromA) })
            {
                var values = merged.Values.Select(Convert.ToHexString).ToArray();
                Assert.Contains("0A", values);
                Assert.Contains("0B", values);
                // A put without context replaces nothing: what one side holds and the other has not seen survives too.
                foreach (var (holder, other) in new[] { (world.State(a), world.State(b)), (world.State(b), world.State(a)) })
                foreach (var s in holder.Siblings.Where(s => !other.Clock.Covers(s.Dot)))
                    Assert.Contains(s, merged.Siblings);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_resolves_to_one_value_when_a_put_context_covers_every_sibling()
    {
        Gen.Select(Worlds, Gen.Int[0, 3]).Sample((world, r) =>
        {
            var read = world.MergeAll();
            var written = world.State(r).Update(read.Clock, [0xC], world.Id(r));
            Assert.Single(written.Siblings);
            Assert.Equal("0C", Convert.ToHexString(written.Values.Single()));
            // Spreading it to every other replica leaves that one value everywhere.
            foreach (var other in world.States)
            {
                Assert.Equal("0C", Convert.ToHexString(other.Merge(written).Values.Single()));
                Assert.Equal("0C", Convert.ToHexString(written.Merge(other).Values.Single()));
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_merge_is_commutative()
    {
        WorldAndThreeStates.Sample((world, a, b, _) =>
            Assert.Equal(Describe(world.State(a).Merge(world.State(b))), Describe(world.State(b).Merge(world.State(a)))),
            iter: Iterations);
    }

    [Fact]
    public void SiblingSet_merge_is_associative()
    {
        WorldAndThreeStates.Sample((world, a, b, c) =>
        {
            var (x, y, z) = (world.State(a), world.State(b), world.State(c));
            Assert.Equal(Describe(x.Merge(y).Merge(z)), Describe(x.Merge(y.Merge(z))));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_merge_is_idempotent()
    {
        WorldAndThreeStates.Sample((world, a, b, _) =>
        {
            var (x, y) = (world.State(a), world.State(b));
            Assert.Equal(Describe(x), Describe(x.Merge(x)));
            Assert.Equal(Describe(x), Describe(x.Merge(SiblingSet.Empty)));
            var once = x.Merge(y);
            Assert.Equal(Describe(once), Describe(once.Merge(y)));
            Assert.Equal(Describe(once), Describe(once.Merge(x)));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_merge_result_descends_both_inputs()
    {
        WorldAndThreeStates.Sample((world, a, b, _) =>
        {
            var merged = world.State(a).Merge(world.State(b));
            Assert.True(merged.Descends(world.State(a)));
            Assert.True(merged.Descends(world.State(b)));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_states_with_equal_clocks_hold_equal_siblings()
    {
        // The invariant read repair relies on: a replica whose clock descends the merge needs no repair.
        WorldAndThreeStates.Sample((world, a, b, _) =>
        {
            var merged = world.State(a).Merge(world.State(b));
            if (merged.Clock.Equals(world.State(a).Clock)) Assert.Equal(Describe(merged), Describe(world.State(a)));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_every_sibling_dot_is_covered_by_its_clock()
    {
        Worlds.Sample(world =>
        {
            foreach (var state in world.States.Append(world.MergeAll()))
            foreach (var s in state.Siblings)
                Assert.True(state.Clock.Covers(s.Dot), $"{Describe(state)} does not cover {s.Dot}");
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_update_never_reuses_a_dot()
    {
        History.Sample((ids, steps) =>
        {
            Play(ids, steps, (before, after, replica, issued) =>
            {
                var fresh = after.Siblings.Select(s => s.Dot).Except(before.Siblings.Select(s => s.Dot)).ToArray();
                var dot = Assert.Single(fresh);
                Assert.Equal(replica, dot.Epoch);
                Assert.DoesNotContain(dot, issued);
                Assert.True(after.Clock.Covers(dot));
            });
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_tombstone_written_with_a_covering_context_hides_the_value_everywhere()
    {
        Gen.Select(Worlds, Gen.Int[0, 3]).Sample((world, r) =>
        {
            var read = world.MergeAll();
            var deleted = world.State(r).Update(read.Clock, null, world.Id(r));
            Assert.False(deleted.HasValues);
            Assert.Empty(deleted.Values);
            Assert.True(Assert.Single(deleted.Siblings).IsTombstone);
            foreach (var other in world.States)
            {
                Assert.False(other.Merge(deleted).HasValues);
                Assert.False(deleted.Merge(other).HasValues);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_a_write_with_a_writers_context_replaces_that_write_and_nothing_its_writer_did_not_see()
    {
        var replaced = 0;
        Gen.Select(WorldAndTwoReplicas, Gen.Bool).Sample((picked, withContext) =>
        {
            var (world, a, b) = picked;
            var context = withContext ? world.State(b).Clock : VersionVector.Empty;
            var written = world.State(a).Update(context, [0xA], world.Id(a));
            var dot = new Dot(world.Id(a), written.Clock.Get(world.Id(a)));
            var writerContext = written.WriterContext(dot, context);

            // The writer's next write, coordinated by replica b once every state has reached it.
            var everything = world.States.Aggregate(written, (s, o) => s.Merge(o));
            var next = world.State(b).Merge(everything).Update(writerContext, [0xB], world.Id(b));
            foreach (var s in everything.Siblings.Where(s => s.Dot != dot && !context.Covers(s.Dot)))
                Assert.Contains(s, next.Siblings);
            if (writerContext.Covers(dot))
            {
                Assert.DoesNotContain(next.Siblings, s => s.Dot == dot);
                Interlocked.Increment(ref replaced);
            }
        }, iter: Iterations);
        // A coverage guard, not a property: about 30% of random histories take this branch, so a quarter was too close
        // to the typical count and failed on unlucky samples; a tenth still proves the branch is well exercised.
        Assert.True(replaced > Iterations / 10, $"the write was replaced in only {replaced} histories");
    }

    [Fact]
    public void SiblingSet_put_concurrent_with_a_delete_survives_it()
    {
        WorldAndTwoReplicas.Sample((world, a, b) =>
        {
            // Replica a deletes everything a full read saw; meanwhile replica b takes a put with only what b had seen.
            var deleted = world.State(a).Update(world.MergeAll().Clock, null, world.Id(a));
            var put = world.State(b).Update(world.State(b).Clock, [0xD], world.Id(b));
            foreach (var merged in new[] { deleted.Merge(put), put.Merge(deleted) })
            {
                Assert.True(merged.HasValues);
                Assert.Equal("0D", Convert.ToHexString(Assert.Single(merged.Values)));
                Assert.Contains(merged.Siblings, s => s.IsTombstone);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_writes_at_two_replicas_under_the_same_context_both_survive_whatever_the_context_holds()
    {
        // Contexts are not bound to a key: a client may pass one read from another key, whose counters for a replica
        // exceed what that replica issued for this key. Two writes under one context are still concurrent.
        Gen.Select(WorldAndTwoReplicas, Gen.Long[0, 60].Array[4]).Sample((picked, counters) =>
        {
            var (world, a, b) = picked;
            var context = VersionVector.From(world.Epochs.Select((id, i) => new VersionVector.Entry(id, counters[i])));
            var fromA = world.State(a).Update(context, [0xA], world.Id(a));
            var fromB = world.State(b).Update(context, [0xB], world.Id(b));
            foreach (var merged in new[] { fromA.Merge(fromB), fromB.Merge(fromA) })
            {
                var values = merged.Values.Select(Convert.ToHexString).ToArray();
                Assert.Contains("0A", values);
                Assert.Contains("0B", values);
            }
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_put_without_context_on_an_empty_key_holds_that_one_value()
    {
        var state = SiblingSet.Empty.Update(VersionVector.Empty, [1, 2, 3], epoch: 7);
        Assert.True(state.HasValues);
        Assert.Equal(new Dot(7, 1), Assert.Single(state.Siblings).Dot);
        Assert.Equal(1, state.Clock.Get(7));
    }

    private static readonly Gen<VersionVector> Vectors =
        Gen.Select(Gen.Long[-3, 3], Gen.Long[0, 5]).Array[0, 6]
            .Select(entries => VersionVector.From(entries.Select(e => new VersionVector.Entry(e.Item1, e.Item2))));

    [Fact]
    public void VersionVector_merge_is_commutative_associative_idempotent_and_descends_both()
    {
        Gen.Select(Vectors, Vectors, Vectors).Sample((a, b, c) =>
        {
            Assert.Equal(a.Merge(b), b.Merge(a));
            Assert.Equal(a.Merge(b).Merge(c), a.Merge(b.Merge(c)));
            Assert.Equal(a, a.Merge(a));
            Assert.True(a.Merge(b).Descends(a) && a.Merge(b).Descends(b));
            Assert.Equal(a.Descends(b) && b.Descends(a), a.Equals(b));
        }, iter: Iterations);
    }

    [Fact]
    public void VersionVector_merge_is_the_pointwise_maximum()
    {
        Gen.Select(Vectors, Vectors).Sample((a, b) =>
        {
            var merged = a.Merge(b);
            foreach (var replica in a.Entries.Concat(b.Entries).Select(e => e.Epoch).Append(99))
                Assert.Equal(Math.Max(a.Get(replica), b.Get(replica)), merged.Get(replica));
        }, iter: Iterations);
    }

    [Fact]
    public void VersionVector_From_keeps_the_highest_counter_drops_zeros_and_rejects_negatives()
    {
        var v = VersionVector.From([new(5, 2), new(1, 0), new(5, 9), new(3, 1)]);
        Assert.Equal(new VersionVector.Entry[] { new(3, 1), new(5, 9) }, v.Entries.ToArray());
        Assert.Throws<ArgumentException>(() => VersionVector.From([new(1, -1)]));
    }

    [Fact]
    public void SiblingSet_write_retried_with_the_same_context_where_the_first_attempt_is_stored_adds_no_sibling()
    {
        Gen.Select(Worlds, Gen.Int[0, 3], Gen.Bool).Sample((world, r, delete) =>
        {
            var read = world.MergeAll();
            byte[]? value = delete ? null : [0xC];
            var first = world.State(r).Write(read.Clock, value, world.Id(r));
            var retry = first.State.Write(read.Clock, value, world.Id(r));
            Assert.Equal(Describe(first.State), Describe(retry.State));
            Assert.Equal(first.Issued, retry.Issued);
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_write_retried_on_another_replica_reads_as_one_value_once_merged()
    {
        WorldAndTwoReplicas.Sample((world, a, b) =>
        {
            var read = world.MergeAll();
            var first = world.State(a).Write(read.Clock, [0xC], world.Id(a)).State;
            var retry = world.State(b).Write(read.Clock, [0xC], world.Id(b)).State;
            foreach (var merged in new[] { first.Merge(retry), retry.Merge(first) })
                Assert.Equal(["0C"], merged.DistinctValues().Select(Convert.ToHexString));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_write_issues_a_new_dot_unless_an_unseen_sibling_already_holds_the_value()
    {
        Gen.Select(WorldsWithRetries, Gen.Int[0, 3]).Sample((world, r) =>
        {
            var before = world.State(r);
            var (after, issued) = before.Write(VersionVector.Empty, [0xD], world.Id(r));
            Assert.Contains(after.Siblings, s => s.Dot == issued && s.Value is [0xD]);
            Assert.True(after.Clock.Covers(issued));
            Assert.Equal(before.Siblings.Any(s => s.Value is [0xD]) ? before.Siblings.Count : before.Siblings.Count + 1, after.Siblings.Count);
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_merge_stays_commutative_associative_and_idempotent_with_retried_writes()
    {
        Gen.Select(WorldsWithRetries, Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3]).Sample((world, a, b, c) =>
        {
            var (x, y, z) = (world.State(a), world.State(b), world.State(c));
            Assert.Equal(Describe(x.Merge(y)), Describe(y.Merge(x)));
            Assert.Equal(Describe(x.Merge(y).Merge(z)), Describe(x.Merge(y.Merge(z))));
            Assert.Equal(Describe(x), Describe(x.Merge(x)));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_replicas_converge_with_retried_writes_whatever_order_they_sync_in()
    {
        WorldsWithRetries.Sample(world =>
        {
            var forward = world.MergeAll();
            var backward = world.States.Reverse().Aggregate(SiblingSet.Empty, (acc, s) => s.Merge(acc));
            Assert.Equal(Describe(forward), Describe(backward));
            foreach (var state in world.States) Assert.Equal(Describe(forward), Describe(state.Merge(forward)));
        }, iter: Iterations);
    }

    [Fact]
    public void SiblingSet_write_past_the_last_counter_fails_typed_instead_of_wrapping()
    {
        var exhausted = SiblingSet.Empty.Update(VersionVector.From([new VersionVector.Entry(7, long.MaxValue)]), [1], epoch: 9);
        Assert.Throws<OverflowException>(() => exhausted.Write(VersionVector.From([new VersionVector.Entry(9, long.MaxValue)]), [2], epoch: 9));
    }
}
