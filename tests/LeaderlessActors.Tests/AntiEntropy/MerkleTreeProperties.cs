using CsCheck;
using LeaderlessActors.AntiEntropy;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Versioning;
using Xunit;

namespace LeaderlessActors.Tests.AntiEntropy;

/// <summary>Properties of <see cref="MerkleTree"/> and <see cref="MerkleDiff"/> over random partitions' keys and clocks.</summary>
public sealed class MerkleTreeProperties
{
    private const int Iterations = 200;

    private static readonly Gen<VersionVector> Clocks =
        Gen.Select(Gen.Long[1, 4], Gen.Long[1, 50]).Array[1, 3].Select(es => VersionVector.From(es.Select(e => new VersionVector.Entry(e.Item1, e.Item2))));

    /// <summary>A partition's content: distinct keys with their clocks.</summary>
    private static readonly Gen<KeyValuePair<string, VersionVector>[]> Contents =
        Gen.Select(Gen.Int[0, 5000], Clocks).Array[0, 300]
            .Select(kvs => kvs.DistinctBy(kv => kv.Item1).Select(kv => new KeyValuePair<string, VersionVector>($"key-{kv.Item1}", kv.Item2)).ToArray());

    private static readonly Gen<(int Fanout, int Depth)> Shapes = Gen.Select(Gen.Int[2, 16], Gen.Int[1, 3]);

    [Fact]
    public void The_same_keys_at_the_same_clocks_give_the_same_root_whatever_the_order_and_the_detours()
    {
        Gen.Select(Contents, Shapes, Gen.Int, Clocks).Sample((content, shape, seed, detour) =>
        {
            var inOrder = Tree(shape, content);
            var shuffled = new MerkleTree(shape.Fanout, shape.Depth);
            var random = new Random(seed);
            // Keys that come and go, and keys first seen at another clock, leave no trace.
            foreach (var (key, clock) in content.OrderBy(_ => random.Next()))
            {
                if (random.Next(3) == 0) shuffled.Set(key, detour);
                if (random.Next(3) == 0) shuffled.Set($"gone-{key}", clock);
                shuffled.Set(key, clock);
            }
            foreach (var (key, _) in content) shuffled.Remove($"gone-{key}");

            Assert.Equal(inOrder.Root, shuffled.Root);
            Assert.Equal(content.Length, shuffled.Count);
            Assert.Empty(MerkleDiff.Compare(inOrder, shuffled).Keys);
        }, iter: Iterations);
    }

    [Fact]
    public void A_single_differing_key_is_found_in_one_round_per_level_comparing_fanout_hashes_per_level()
    {
        Gen.Select(Contents.Where(c => c.Length > 0), Shapes, Gen.Int[0, 2], Gen.Int, Clocks).Sample((content, shape, change, pick, other) =>
        {
            var ours = Tree(shape, content);
            var theirs = Tree(shape, content);
            var (key, clock) = content[(int)((uint)pick % content.Length)];
            var differing = change switch
            {
                0 when !other.Equals(clock) => Set(theirs, key, other), // the key at another clock (else the next arm)
                1 => Removed(theirs, key), // a key only one side holds
                _ => Set(theirs, "new-key", clock), // a key only the other side holds
            };

            var found = MerkleDiff.Compare(ours, theirs);

            Assert.Equal([differing], found.Keys);
            Assert.Equal(shape.Depth + 2, found.Rounds); // each level, then the leaf's entries
            Assert.Equal(1 + shape.Fanout * shape.Depth, found.HashesCompared);
            Assert.NotEqual(ours.Root, theirs.Root);
        }, iter: Iterations);
    }

    [Fact]
    public void The_diff_finds_exactly_the_keys_held_by_one_side_only_or_at_different_clocks()
    {
        Gen.Select(Contents, Contents, Shapes).Sample((a, b, shape) =>
        {
            var left = a.ToDictionary();
            var right = b.ToDictionary();
            var expected = left.Keys.Union(right.Keys)
                .Where(k => !left.TryGetValue(k, out var x) || !right.TryGetValue(k, out var y) || !x.Equals(y))
                .Order(StringComparer.Ordinal).ToArray();

            var found = MerkleDiff.Compare(Tree(shape, a), Tree(shape, b));

            Assert.Equal(expected, found.Keys);
            Assert.Equal(found.Keys, MerkleDiff.Compare(Tree(shape, b), Tree(shape, a)).Keys); // either side may start
        }, iter: Iterations);
    }

    [Fact]
    public void Trees_of_different_shapes_are_refused_for_comparison_and_bad_shapes_at_construction()
    {
        Assert.Throws<ArgumentException>(() => MerkleDiff.Compare(new MerkleTree(4, 2), new MerkleTree(4, 3)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleTree(1, 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleTree(4, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleTree(256, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MerkleTree(4, 2).Hashes(3, [0]));
    }

    private static MerkleTree Tree((int Fanout, int Depth) shape, IEnumerable<KeyValuePair<string, VersionVector>> content)
    {
        var tree = new MerkleTree(shape.Fanout, shape.Depth);
        foreach (var (key, clock) in content) tree.Set(key, clock);
        return tree;
    }

    private static string Set(MerkleTree tree, string key, VersionVector clock)
    {
        tree.Set(key, clock);
        return key;
    }

    private static string Removed(MerkleTree tree, string key)
    {
        Assert.True(tree.Remove(key));
        return key;
    }

    [Fact]
    public void One_partition_s_keys_spread_over_all_the_leaves_whatever_the_partition_count()
    {
        // Partition counts that share factors with the leaf count: a leaf taken from the partitioner's own hash would put
        // a partition's keys in leaves/partitions of the leaves (64 of 4096 with the defaults).
        foreach (var partitions in new[] { 64, 16, 4096 })
        {
            var partitioner = new KeyPartitioner(partitions);
            var tree = MerkleShape.Default.NewTree();
            var keys = Enumerable.Range(0, int.MaxValue).Select(i => $"key-{i}").Where(k => partitioner.PartitionOf(k) == 3).Take(4096);
            foreach (var key in keys) tree.Set(key, VersionVector.Empty);

            var used = Enumerable.Range(0, 4096).Count(leaf => tree.Entries(leaf).Count > 0);
            Assert.InRange(used, 2400, 2800); // 4096 keys thrown at 4096 leaves uniformly fill 1 - 1/e of them, about 2589
        }
    }
}
