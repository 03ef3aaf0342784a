using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;

namespace LeaderlessActors.Benchmarks.Scale;

/// <summary>Memory and recovery figures of one node holding many keys; no recovery figure for in-memory storage.</summary>
internal sealed record ScaleResult(string Backend, int Keys, double LoadKeysPerSecond, double HeapBytesPerKey,
    double? RecoverySeconds, int PartitionsVerified, int Partitions, string RecoveryMethod, double? HeapBytesPerKeyAfterDelete = null);

/// <summary>
/// One node (no cluster, N = 1) is given <c>--scale-keys</c> keys of the benchmark's value size through the store's API,
/// then: the managed heap it grew by, per key (after full collections), and a read of one key of every partition. With
/// SQLite the node is then stopped and a new one opens the same files (a restart): the time until every partition's
/// replica has recovered from storage and answers that read. In-memory storage dies with its node, so it has no
/// recovery figure. With SQLite every key is then deleted and, once the replicas (each its partition's only owner)
/// collected the tombstones, the heap is measured again against the same empty-node baseline: what deleted keys still
/// cost. (The in-memory journal keeps every event on the heap by design, so that figure is not taken for it.)
/// </summary>
internal static class ScaleFigures
{
    private static readonly ReadOptions PatientRead = new() { Timeout = TimeSpan.FromMinutes(10) };

    public static async Task<ScaleResult> RunAsync(StorageBackend backend, int keys, int valueBytes, string dataDirectory)
    {
        var value = new byte[valueBytes];
        Random.Shared.NextBytes(value);
        var system = Start(backend, dataDirectory);
        try
        {
            var store = LeaderlessStore.Get(system);
            var partitions = store.Settings.PartitionCount;
            var sample = SampleKeys(store.Ring, keys);
            await ReadEveryPartitionAsync(store, sample); // starts every replica before the baseline
            var heapBefore = SettledHeapBytes();
            var loading = Stopwatch.StartNew();
            await BulkLoader.PutAllAsync(store, keys, value);
            var loadRate = keys / loading.Elapsed.TotalSeconds;
            var heapPerKey = (double)(SettledHeapBytes() - heapBefore) / keys;

            if (backend == StorageBackend.Memory)
                return new ScaleResult("memory", keys, loadRate, heapPerKey, null, await ReadEveryPartitionAsync(store, sample),
                    partitions, "not measured: in-memory storage does not survive a restart");

            await system.Terminate();
            var recovering = Stopwatch.StartNew();
            system = Start(backend, dataDirectory);
            var restarted = LeaderlessStore.Get(system);
            var verified = await ReadEveryPartitionAsync(restarted, sample);
            recovering.Stop();
            await DeleteAllAsync(restarted, sample, keys);
            var afterDelete = (double)(SettledHeapBytes() - heapBefore) / keys;
            return new ScaleResult(backend.ToString().ToLowerInvariant(), keys, loadRate, heapPerKey, recovering.Elapsed.TotalSeconds,
                verified, partitions, "node restarted on the same files; replicas recover from their snapshot and journal tail",
                afterDelete);
        }
        finally
        {
            await system.Terminate();
        }
    }

    private static ActorSystem Start(StorageBackend backend, string dataDirectory) =>
        ActorSystem.Create("scale", ConfigurationFactory.ParseString($"""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            leaderless.replication-factor = 1
            leaderless.anti-entropy.tombstone-grace = 1s
            leaderless.storage.backend = {backend.ToString().ToLowerInvariant()}
            leaderless.storage.sqlite.data-dir = "{dataDirectory.Replace("\\", "/")}"
            """));

    /// <summary>Deletes every loaded key, then waits until one deleted key of every partition is gone altogether (its
    /// tombstone collected: a replica collects all its stable tombstones at once).</summary>
    private static async Task DeleteAllAsync(LeaderlessStore store, string?[] sample, int keys)
    {
        await BulkLoader.DeleteAllAsync(store, keys);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var inspections = await Task.WhenAll(sample.OfType<string>().Select(key => store.InspectAsync(key, TimeSpan.FromMinutes(1))));
            if (inspections.All(i => i.Missing.Count == 0 && i.Replicas.All(r => r.Versions.Count == 0))) return;
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                throw new TimeoutException("The deleted keys' tombstones were not collected within 5 minutes.");
            await Task.Delay(500);
        }
    }

    /// <summary>Reads one loaded key of every partition; returns how many partitions had it.</summary>
    private static async Task<int> ReadEveryPartitionAsync(LeaderlessStore store, string?[] sample)
    {
        var answers = await Task.WhenAll(sample.Select(key => store.GetAsync(key ?? "absent", PatientRead)));
        return answers.Count(a => a.Found);
    }

    /// <summary>One loaded key of every partition (null for a partition that got none).</summary>
    private static string?[] SampleKeys(RingView ring, int keys)
    {
        var sample = new string?[ring.PreferenceLists.Count];
        for (var i = 0; i < keys && sample.Any(s => s is null); i++)
            sample[ring.PartitionOf(BulkLoader.KeyOf(i))] ??= BulkLoader.KeyOf(i);
        return sample;
    }

    private static long SettledHeapBytes()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
