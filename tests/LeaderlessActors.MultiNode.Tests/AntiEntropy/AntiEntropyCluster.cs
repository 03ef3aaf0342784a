using LeaderlessActors.TestSupport;
using System.Text;

namespace LeaderlessActors.MultiNode.Tests.AntiEntropy;

/// <summary>What the anti-entropy specs share: a cluster whose workers compare every partition about every second, and
/// the totals of the workers on all nodes.</summary>
internal static class AntiEntropyCluster
{
    /// <summary>Anti-entropy on, a round of every partition a second; 8 partitions keep a round short. Hinted handoff
    /// off, so what converges is anti-entropy's own work (a hint would repair the missed writes first).</summary>
    public const string Config = """
        leaderless.partition-count = 8
        leaderless.hints.enabled = off
        leaderless.anti-entropy {
          enabled = on
          interval = 1s
          workers = 2
        }
        akka.cluster.sharded-daemon-process.keep-alive-interval = 1s
        """;

    public static byte[] Value(string key, int bytes = 16) => Encoding.UTF8.GetBytes(key.PadRight(bytes, '.'));

    /// <summary>Keys repaired by the workers of every node ever started, running ones only (a crashed node's count is gone).</summary>
    public static long KeysRepaired(TestCluster cluster) => cluster.RunningNodes.Sum(n => cluster.Store(n).AntiEntropyStatus.KeysRepaired);

    /// <summary>Bytes moved by the workers of the running nodes.</summary>
    public static long Bytes(TestCluster cluster) => cluster.RunningNodes.Sum(n => cluster.Store(n).AntiEntropyStatus.Bytes);

    /// <summary>Exchanges completed by the workers of the running nodes.</summary>
    public static long Exchanges(TestCluster cluster) => cluster.RunningNodes.Sum(n => cluster.Store(n).AntiEntropyStatus.Exchanges);

    /// <summary>What the running nodes' counter <paramref name="instrument"/> of their store meters reports now, summed.</summary>
    public static long Counter(TestCluster cluster, string instrument) =>
        MeterReadings.Read<long>(cluster.RunningNodes.Select(n => cluster.Store(n).Metrics.Meter).ToList(), instrument).Sum();

    /// <summary>Writes <paramref name="keys"/> at quorum from node <paramref name="from"/>, 16 at a time.</summary>
    public static async Task WriteAsync(TestCluster cluster, int from, IReadOnlyList<string> keys, int valueBytes = 16)
    {
        foreach (var batch in keys.Chunk(16))
            await Task.WhenAll(batch.Select(k => cluster.Store(from).PutAsync(k, Value(k, valueBytes))));
    }
}
