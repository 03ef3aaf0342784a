using System.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests.AntiEntropy;

public class TombstoneCollectionSpec
{
    private const string Key = "doomed";

    [Fact]
    public async Task A_tombstone_written_while_an_owner_is_down_stays_until_it_is_back_and_repaired_then_goes_and_the_key_never_comes_back()
    {
        await using var cluster = await TestCluster.StartAsync(3, AntiEntropyCluster.Config + "\nleaderless.anti-entropy.tombstone-grace = 2s");
        // Data in every partition, so node 2's replicas restart with their history (and are repaired by exchanges).
        var filler = Enumerable.Range(0, 40).Select(i => $"filler-{i}").ToArray();
        await AntiEntropyCluster.WriteAsync(cluster, 0, [.. filler, Key]);
        await cluster.AwaitReplicasAgreeAsync([.. filler, Key]);

        await cluster.CrashAsync(2);
        await cluster.AwaitUnreachableAsync(2);
        var read = await cluster.Store(0).GetAsync(Key);
        await cluster.Store(0).DeleteAsync(Key, read.Context);

        // Many rounds of every partition, well past the grace period: the two reachable owners exchange, but never all
        // three, so neither may drop the tombstone.
        var exchanges = AntiEntropyCluster.Exchanges(cluster);
        await TestCluster.Eventually(() => AntiEntropyCluster.Exchanges(cluster) >= exchanges + 6 * 8, TimeSpan.FromSeconds(60),
            "six rounds of every partition's exchange");
        var whileDown = await cluster.Store(0).InspectAsync(Key);
        Assert.Equal(2, whileDown.Replicas.Count);
        Assert.All(whileDown.Replicas, r => Assert.True(r.Versions.Count > 0 && r.Versions.All(v => v.IsTombstone),
            $"{r.Node} holds [{string.Join(", ", r.Versions.Select(v => v.IsTombstone ? "tombstone" : "value"))}]"));

        await cluster.RestartAsync(2);

        // Node 2 gets the tombstone from an exchange, the next exchange finds all three in sync, and after the grace
        // period every replica drops the key: each answers with nothing at all, not even a tombstone.
        // (Seen once in CI not to happen within 60 s on an idle machine: 120 s now, and the timeout says what each
        // replica held at the last look.)
        var last = "no inspection answered";
        try
        {
            await TestCluster.EventuallyAsync(async () =>
            {
                var inspection = await cluster.Store(0).InspectAsync(Key, TimeSpan.FromSeconds(2));
                last = string.Join("; ", inspection.Replicas.Select(r =>
                    $"{r.Node}: [{string.Join(", ", r.Versions.Select(v => v.IsTombstone ? "tombstone" : "value"))}]"));
                return inspection.Replicas.Count == 3 && inspection.Replicas.All(r => r.Versions.Count == 0);
            }, TimeSpan.FromSeconds(120), "every replica to drop the tombstone");
        }
        catch (TimeoutException e)
        {
            throw new TimeoutException($"{e.Message} Last inspection: {last}", e);
        }
        foreach (var node in cluster.RunningNodes)
            Assert.False((await cluster.Store(node).GetAsync(Key, new ReadOptions { Consistency = Consistency.All })).Found);
        var filled = await cluster.AwaitReplicasAgreeAsync(filler);
        Assert.All(filled, inspection => Assert.All(inspection.Replicas, r => Assert.Single(r.Values)));

        await cluster.Store(1).PutAsync(Key, "again"u8.ToArray());
        var again = await cluster.Store(2).GetAsync(Key, new ReadOptions { Consistency = Consistency.All });
        Assert.Equal("again", Encoding.UTF8.GetString(Assert.Single(again.Values)));
        var agreed = Assert.Single(await cluster.AwaitReplicasAgreeAsync([Key]));
        Assert.All(agreed.Replicas, r => Assert.Equal("again", Encoding.UTF8.GetString(Assert.Single(r.Values))));
    }
}
