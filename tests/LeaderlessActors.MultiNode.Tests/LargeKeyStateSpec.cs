using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// A key whose state grows past one value's size through concurrent writes (issue 11): every request on it keeps a
/// typed answer, it stays readable and writable, and the resync of its partition carries it (a chunk of one key).
/// The test cluster's 2 MiB frame derives max-key-state-bytes = (2 MiB - 64 KiB) / 3, about 662 KiB: one 600 KB value
/// fits, two joined by repair pass it, within the frame.
/// </summary>
public sealed class LargeKeyStateSpec
{
    private const int Writers = 2, ResyncedNode = 1;

    private static byte[] Filled(byte b) => Enumerable.Repeat(b, 600_000).ToArray();

    [Fact]
    public async Task Two_concurrent_600_KB_writes_leave_the_key_readable_writable_and_its_partition_resyncable()
    {
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.repair.resync-retry-interval = 300ms");
        // Node 0 and node 1 cannot hear each other: each coordinates its write without the other's, so both are stored,
        // on node 2 too, which then holds about 1.2 MB for the key.
        await cluster.BlackholeAsync(0, 1);
        await Task.WhenAll(cluster.Store(0).PutAsync("big", Filled(0xA)), cluster.Store(1).PutAsync("big", Filled(0xB)));
        await cluster.HealAsync(0, 1);
        await cluster.AwaitConvergedAsync();

        // Read through node 0: node 2's answer and the repairs carry the joined state over the wire.
        var read = await cluster.Store(0).GetAsync("big");
        Assert.Equal(new byte[] { 0xA, 0xB }, read.Values.Select(v => v[0]).Order());
        Assert.All(read.Values, v => Assert.Equal(600_000, v.Length));

        // A node that lost its storage resyncs the partition, the 1.2 MB key in a chunk of its own.
        await cluster.CrashAsync(ResyncedNode);
        Directory.Delete(Path.Combine(cluster.DataRoot, $"node{ResyncedNode}"), recursive: true);
        await cluster.RestartAsync(ResyncedNode);
        var resynced = cluster.AddressOf(ResyncedNode).ToString();
        await TestCluster.EventuallyAsync(async () =>
            (await cluster.Store(0).InspectAsync("big", TimeSpan.FromSeconds(2))).Replicas.SingleOrDefault(r => r.Node == resynced)
                is { NeedsRepair: false, Values.Count: 2 },
            TimeSpan.FromSeconds(60), "the restarted replica to hold both values through its resync");

        // The resolving write shrinks the state; the key then takes further writes as usual.
        var resolved = await cluster.Store(Writers).PutAsync("big", Filled(0xC), read.Context);
        var after = await cluster.Store(ResyncedNode).GetAsync("big");
        Assert.Equal(0xC, Assert.Single(after.Values)[0]);
        await cluster.Store(0).PutAsync("big", [1], after.Context);
        Assert.Equal([1], Assert.Single((await cluster.Store(Writers).GetAsync("big")).Values));
        Assert.NotNull(resolved.Context);
    }
}
