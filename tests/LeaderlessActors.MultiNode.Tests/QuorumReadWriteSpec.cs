using System.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class QuorumReadWriteSpec
{
    [Fact]
    public async Task Thousand_keys_written_at_quorum_from_different_nodes_are_read_back_at_quorum_from_every_node()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var keys = Enumerable.Range(0, 1000).Select(i => $"key-{i}").ToArray();

        await Parallel.ForEachAsync(keys.Select((k, i) => (k, i)), new ParallelOptions { MaxDegreeOfParallelism = 32 },
            async (item, _) => await cluster.Store(item.i % 3).PutAsync(item.k, Encoding.UTF8.GetBytes($"value-{item.k}")));

        for (var node = 0; node < 3; node++)
        {
            var store = cluster.Store(node);
            await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (key, _) =>
            {
                var read = await store.GetAsync(key);
                Assert.True(read.Found, $"{key} not found from node {node}");
                Assert.Equal($"value-{key}", Encoding.UTF8.GetString(Assert.Single(read.Values)));
            });
        }
    }

    [Fact]
    public async Task Two_writes_without_context_become_siblings_and_a_write_with_the_read_context_resolves_them()
    {
        await using var cluster = await TestCluster.StartAsync(3);

        await Task.WhenAll(
            cluster.Store(0).PutAsync("cart", "apple"u8.ToArray()),
            cluster.Store(1).PutAsync("cart", "pear"u8.ToArray()));

        var read = await cluster.Store(2).GetAsync("cart");
        Assert.Equal(["apple", "pear"], read.Values.Select(v => Encoding.UTF8.GetString(v)).Order());

        await cluster.Store(2).PutAsync("cart", "apple+pear"u8.ToArray(), read.Context);

        var resolved = await cluster.Store(0).GetAsync("cart");
        Assert.Equal("apple+pear", Encoding.UTF8.GetString(Assert.Single(resolved.Values)));
    }

    [Fact]
    public async Task A_write_with_a_stale_context_keeps_the_concurrent_version_as_a_sibling()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.Store(0).PutAsync("doc", "v1"u8.ToArray());
        var seenByA = await cluster.Store(0).GetAsync("doc");
        var seenByB = await cluster.Store(1).GetAsync("doc");

        await cluster.Store(0).PutAsync("doc", "a"u8.ToArray(), seenByA.Context);
        await cluster.Store(1).PutAsync("doc", "b"u8.ToArray(), seenByB.Context);

        var read = await cluster.Store(2).GetAsync("doc");
        Assert.Equal(["a", "b"], read.Values.Select(v => Encoding.UTF8.GetString(v)).Order());
    }

    [Fact]
    public async Task A_delete_followed_by_a_quorum_read_returns_not_found()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        await cluster.Store(0).PutAsync("gone", "x"u8.ToArray());
        var read = await cluster.Store(1).GetAsync("gone");

        await cluster.Store(1).DeleteAsync("gone", read.Context);

        var after = await cluster.Store(2).GetAsync("gone");
        Assert.False(after.Found);
        Assert.Empty(after.Values);
        Assert.False(after.Context.IsEmpty); // the tombstone's context, so a later write supersedes the delete
    }

    [Fact]
    public async Task A_write_after_a_delete_with_its_context_is_visible_again()
    {
        await using var cluster = await TestCluster.StartAsync(3);
        var put = await cluster.Store(0).PutAsync("phoenix", "1"u8.ToArray());
        var deleted = await cluster.Store(0).DeleteAsync("phoenix", put.Context);

        await cluster.Store(1).PutAsync("phoenix", "2"u8.ToArray(), deleted.Context);

        var read = await cluster.Store(2).GetAsync("phoenix");
        Assert.Equal("2", Encoding.UTF8.GetString(Assert.Single(read.Values)));
    }
}
