using System.IO.Hashing;
using System.Text;
using Akka.Actor;
using CsCheck;
using LeaderlessActors.Partitioning;
using Xunit;

namespace LeaderlessActors.Tests;

/// <summary>Placement: the consistent-hash ring (<see cref="HashRing"/>) and key hashing (<see cref="KeyPartitioner"/>).</summary>
public sealed class HashRingProperties
{
    /// <summary>Distinct member addresses as a cluster would have them (host and port vary).</summary>
    private static readonly Gen<Address[]> Members =
        Gen.Select(Gen.Int[1, 254], Gen.Int[1024, 65535]).Array[1, 12]
            .Select(hosts => hosts.Select(h => new Address("akka.tcp", "leaderless", $"10.0.0.{h.Item1}", h.Item2)).Distinct().ToArray());

    private static readonly Gen<(Address[] Members, int N, int Q, int VirtualNodes)> Rings =
        Gen.Select(Members, Gen.Int[1, 5], Gen.Int[1, 256], Gen.Int[1, 64]);

    [Fact]
    public void HashRing_preference_lists_hold_min_of_N_and_members_distinct_nodes()
    {
        Rings.Sample((members, n, q, vnodes) =>
        {
            var ring = new HashRing(members, q, n, vnodes);
            Assert.Equal(q, ring.PartitionCount);
            for (var p = 0; p < q; p++)
            {
                var list = ring.PreferenceList(p);
                Assert.Equal(Math.Min(n, members.Length), list.Count);
                Assert.Equal(list.Count, list.Distinct().Count());
                Assert.All(list, node => Assert.Contains(node, members));
                for (var i = 0; i < list.Count; i++) Assert.Equal(i, ring.ReplicaIndexOf(p, list[i]));
            }
        }, iter: 200);
    }

    [Fact]
    public void HashRing_nodes_that_see_the_same_membership_in_any_order_compute_identical_preference_lists()
    {
        Rings.SelectMany((members, n, q, vnodes) =>
                Gen.Select(Gen.Shuffle(members.ToArray()), Gen.Shuffle(members.ToArray()), (a, b) => (a, b, n, q, vnodes)))
            .Sample((first, second, n, q, vnodes) =>
            {
                // Each "node" builds its ring from its own copies of the addresses, as parsed from gossip.
                var one = new HashRing(first.Select(Copy), q, n, vnodes);
                var other = new HashRing(second.Select(Copy).Concat(second.Take(1).Select(Copy)), q, n, vnodes);
                for (var p = 0; p < q; p++)
                    Assert.Equal(one.PreferenceList(p).Select(a => a.ToString()), other.PreferenceList(p).Select(a => a.ToString()));
            }, iter: 100);
    }

    [Fact]
    public void HashRing_join_of_one_member_only_puts_the_newcomer_in_place_of_one_entry_per_list()
    {
        Gen.Select(Members.Where(m => m.Length >= 2), Gen.Int[1, 5], Gen.Int[1, 64])
            .Select((members, n, q) => (members, n, q))
            .Sample((members, n, q) =>
            {
                var newcomer = members[^1];
                var before = new HashRing(members[..^1], q, n, 32);
                var after = new HashRing(members, q, n, 32);
                for (var p = 0; p < q; p++)
                {
                    var added = after.PreferenceList(p).Except(before.PreferenceList(p)).ToArray();
                    Assert.True(added.Length == 0 || (added.Length == 1 && added[0] == newcomer),
                        $"partition {p}: [{string.Join(", ", before.PreferenceList(p))}] -> [{string.Join(", ", after.PreferenceList(p))}]");
                }
            }, iter: 200);
    }

    [Theory]
    [InlineData(3, 64)]
    [InlineData(4, 128)]
    [InlineData(5, 256)]
    [InlineData(7, 128)]
    [InlineData(9, 256)]
    [InlineData(12, 64)]
    public void HashRing_join_of_the_next_member_changes_about_one_in_M_plus_1_preference_list_entries(int m, int q)
    {
        const int n = 3;
        Gen.Int[0, 1000].Sample(seed =>
        {
            var members = Enumerable.Range(0, m + 1)
                .Select(i => new Address("akka.tcp", "leaderless", $"node-{seed}-{i}.example", 4000 + i)).ToArray();
            var before = new HashRing(members[..m], q, n, virtualNodes: 128);
            var after = new HashRing(members, q, n, virtualNodes: 128);
            var changed = Enumerable.Range(0, q).Sum(p => after.PreferenceList(p).Except(before.PreferenceList(p)).Count());
            var fraction = changed / (double)(q * n);
            Assert.True(fraction > 0.3 / (m + 1), $"the newcomer took only {changed} of {q * n} entries");
            Assert.True(fraction < 2.5 / (m + 1), $"{changed} of {q * n} entries ({fraction:P1}) changed; expected about {1.0 / (m + 1):P1}");
        }, iter: 20);
    }

    [Fact]
    public void HashRing_of_no_members_has_empty_preference_lists()
    {
        var ring = new HashRing([], 8, 3, 16);
        Assert.All(Enumerable.Range(0, 8), p => Assert.Empty(ring.PreferenceList(p)));
        Assert.Equal(-1, ring.ReplicaIndexOf(0, new Address("akka.tcp", "s", "n1", 1)));
    }

    [Theory]
    [InlineData("", 0xEF46DB3751D8E999UL)]
    [InlineData("a", 0xD24EC4F1A98C6E5BUL)]
    [InlineData("abc", 0x44BC2CF5AD770999UL)]
    [InlineData("12345678", 0xD2D02F08CF7CFD4AUL)]
    public void KeyPartitioner_hash_is_XxHash64_with_seed_zero_of_the_key_UTF8_bytes(string key, ulong expected)
    {
        // Reference vectors of XXH64: a change of algorithm or seed would move every key of every existing cluster.
        Assert.Equal(expected, KeyPartitioner.Hash(key));
    }

    [Fact]
    public void KeyPartitioner_hash_and_partition_of_a_known_key_are_pinned()
    {
        Assert.Equal(XxHash64.HashToUInt64("user:42"u8), KeyPartitioner.Hash("user:42"));
        Assert.Equal((int)(XxHash64.HashToUInt64("user:42"u8) % 64), new KeyPartitioner(64).PartitionOf("user:42"));
    }

    [Fact]
    public void KeyPartitioner_hashes_the_UTF8_bytes_of_keys_of_any_length()
    {
        // Short keys hash from a stack buffer, long ones from a rented array: both must agree with the plain hash.
        Gen.Char.Array[0, 1200].Select(chars => new string(chars)).Sample(key =>
            Assert.Equal(XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(key)), KeyPartitioner.Hash(key)), iter: 300);
        Assert.Equal(XxHash64.HashToUInt64("é"u8), KeyPartitioner.Hash("é"));
    }

    [Fact]
    public void KeyPartitioner_places_every_key_in_a_partition_in_range()
    {
        Gen.Select(Gen.String, Gen.Int[1, 65536]).Sample((key, q) =>
        {
            var p = new KeyPartitioner(q).PartitionOf(key);
            Assert.InRange(p, 0, q - 1);
            Assert.Equal(p, new KeyPartitioner(q).PartitionOf(new string(key.AsSpan())));
        }, iter: 500);
    }

    private static Address Copy(Address a) => Address.Parse(a.ToString());
}
