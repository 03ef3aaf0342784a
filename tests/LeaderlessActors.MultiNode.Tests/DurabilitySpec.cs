using System.Collections.Concurrent;
using System.Text;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class DurabilitySpec
{
    [Fact]
    public async Task A_node_crashed_during_quorum_writes_and_restarted_on_sqlite_loses_no_acknowledged_write() =>
        await CrashDuringWritesAndRestart(await TestCluster.StartAsync(3));

    [Fact]
    public async Task A_node_crashed_during_quorum_writes_and_restarted_on_postgres_loses_no_acknowledged_write()
    {
        await using var postgres = await PostgresServer.StartAsync();
        var run = Guid.NewGuid().ToString("N")[..8];
        // Frequent snapshots, so recovery from snapshot plus journal tail and journal compaction run on PostgreSQL too.
        await CrashDuringWritesAndRestart(await TestCluster.StartAsync(3, "leaderless.storage.backend = postgres\nleaderless.storage.snapshot-every = 25", i => $"""
            leaderless.storage.postgres.connection-string = "{postgres.ConnectionString}"
            leaderless.storage.postgres.schema = "node{i}_{run}"
            """));
    }

    /// <summary>
    /// Streams Quorum writes from two nodes while node 2 crashes, restarts node 2 on its address and data, and checks that
    /// every acknowledged write is readable at Quorum, and that node 2's own replica still holds each write it had
    /// acknowledged before the crash.
    /// </summary>
    private static async Task CrashDuringWritesAndRestart(TestCluster cluster)
    {
        await using var _ = cluster;
        var victim = cluster.AddressOf(2).ToString();
        var acknowledged = new ConcurrentDictionary<string, WriteResult>();
        using var stop = new CancellationTokenSource();
        using var victimDown = new CancellationTokenSource();
        // Writers on every node. Those on the victim coordinate on its own replica, so what it acknowledged before the
        // crash is certain to include its own durable copy; they stop when it goes down.
        var writers = Enumerable.Range(0, 9).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"w{w}-{i}";
                try
                {
                    acknowledged[key] = await cluster.Store(w % 3).PutAsync(key, Encoding.UTF8.GetBytes(key));
                }
                catch (QuorumNotReachedException)
                {
                    // Not acknowledged: makes no promise, so the check below does not count it.
                }
                catch (Exception) when (w % 3 == 2 && victimDown.IsCancellationRequested)
                {
                    return; // the victim is going down: whatever its last request did, it was not acknowledged
                }
            }
        })).ToArray();

        // Some of them acknowledged by the victim itself (it is not always among the first W to answer), so that its own
        // replica has something to prove after the restart.
        await TestCluster.Eventually(() => acknowledged.Count >= 200 && acknowledged.Values.Any(a => a.StoredOn.Contains(victim)),
            TimeSpan.FromSeconds(60), "200 acknowledged writes, some stored on the victim");
        await victimDown.CancelAsync();
        await cluster.CrashAsync(2);
        await TestCluster.Eventually(() => acknowledged.Count >= 400, TimeSpan.FromSeconds(60), "writes to continue after the crash");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        await cluster.RestartAsync(2);

        var storedOnVictim = acknowledged.Where(a => a.Value.StoredOn.Contains(victim)).Select(a => a.Key).ToArray();
        Assert.NotEmpty(storedOnVictim);
        await Parallel.ForEachAsync(acknowledged.Keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, _) =>
        {
            var read = await cluster.Store(2).GetAsync(key);
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single(read.Values)));
        });
        await Parallel.ForEachAsync(storedOnVictim, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, _) =>
        {
            var inspection = await cluster.Store(0).InspectAsync(key);
            var own = inspection.Replicas.Single(r => r.Node == victim);
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single(own.Values)));
        });
    }

    [Fact]
    public async Task A_whole_cluster_stopped_and_started_again_has_all_its_data_back()
    {
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.storage.snapshot-every = 50");
        var keys = Enumerable.Range(0, 300).Select(i => $"key-{i}").ToArray();
        await Parallel.ForEachAsync(keys, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (key, _) =>
            await cluster.Store(key.Length % 3).PutAsync(key, Encoding.UTF8.GetBytes(key)));
        var deleted = await cluster.Store(0).GetAsync("key-7");
        await cluster.Store(0).DeleteAsync("key-7", deleted.Context);

        await cluster.CrashAllAsync();
        await cluster.RestartAllAsync();

        foreach (var key in keys.Where(k => k != "key-7"))
        {
            // Acknowledged at Quorum: at least 2 of the 3 replicas had it durably before the stop.
            var inspection = await cluster.Store(1).InspectAsync(key);
            Assert.InRange(inspection.Replicas.Count(r => r.Values.Count == 1 && Encoding.UTF8.GetString(r.Values[0]) == key), 2, 3);
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single((await cluster.Store(0).GetAsync(key)).Values)));
        }
        Assert.False((await cluster.Store(2).GetAsync("key-7", new ReadOptions { Consistency = Consistency.All })).Found);
    }
}
