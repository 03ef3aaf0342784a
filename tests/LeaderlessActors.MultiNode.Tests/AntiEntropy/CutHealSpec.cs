using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.MultiNode.Tests.AntiEntropy;

public class CutHealSpec(ITestOutputHelper output)
{
    [Fact]
    public async Task After_a_cut_heals_the_exchanges_move_the_keys_that_differ_and_not_the_rest()
    {
        const int valueBytes = 1024;
        await using var cluster = await TestCluster.StartAsync(3, AntiEntropyCluster.Config);
        var shared = Enumerable.Range(0, 400).Select(i => $"shared-{i}").ToArray();
        await AntiEntropyCluster.WriteAsync(cluster, 0, shared, valueBytes);
        await cluster.AwaitReplicasAgreeAsync(shared);

        await cluster.IsolateAsync(2);
        var missed = Enumerable.Range(0, 20).Select(i => $"missed-{i}").ToArray();
        await AntiEntropyCluster.WriteAsync(cluster, 0, missed, valueBytes);
        var (keysBefore, bytesBefore) = (AntiEntropyCluster.KeysRepaired(cluster), AntiEntropyCluster.Bytes(cluster));
        await cluster.RejoinAsync(2);

        await cluster.AwaitReplicasAgreeAsync(missed, timeout: TimeSpan.FromSeconds(60));
        var keys = AntiEntropyCluster.KeysRepaired(cluster) - keysBefore;
        var bytes = AntiEntropyCluster.Bytes(cluster) - bytesBefore;
        output.WriteLine($"repaired {keys} keys moving {bytes} bytes; the partition data is {shared.Length + missed.Length} keys of {valueBytes} bytes");

        Assert.Equal(missed.Length, keys);
        // Each missed key is read from three replicas (two hold it) and sent to one: about three values per key, plus
        // hashes and leaf entries. Shipping the data would be over 400 values.
        Assert.InRange(bytes, missed.Length * valueBytes * 3L, missed.Length * valueBytes * 6L);
        var all = await cluster.AwaitReplicasAgreeAsync(shared.Concat(missed));
        Assert.All(all, inspection => Assert.Equal(3, inspection.Replicas.Count));
    }
}
