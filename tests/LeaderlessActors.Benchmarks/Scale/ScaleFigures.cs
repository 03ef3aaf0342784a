using System.Diagnostics;
using Akka.Actor;
using Akka.Configuration;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;

namespace LeaderlessActors.Benchmarks.Scale;

/// <summary>Memory and recovery figures of one node holding many keys.</summary>
internal sealed record ScaleResult(string Backend, int Keys, double LoadKeysPerSecond, double HeapBytesPerKey,
    double RecoverySeconds, int PartitionsVerified, int Partitions, string RecoveryMethod, double? HeapBytesPerKeyAfterDelete = null);

/// <summary>
/// One node (no cluster, N = 1) is given <c>--scale-keys</c> keys of the benchmark's value size through its replicas,
/// then: the managed heap it grew by, per key (after full collections), and the time until every partition's replica has
/// recovered from storage and answers a read. With SQLite the node is stopped and a new one opens the same files (a
/// restart); in-memory storage dies with its node, so new replica actors recover from the running node's journal.
/// With SQLite every key is then deleted and, once the replicas (each its partition's only owner) collected the
/// tombstones, the heap is measured again against the same empty-node baseline: what deleted keys still cost. (The
/// in-memory journal keeps every event on the heap by design, so that figure is not taken for it.)
/// </summary>
internal static class ScaleFigures
{
    public static async Task<ScaleResult> RunAsync(StorageBackend backend, int keys, int valueBytes, string dataDirectory)
    {
        var value = new byte[valueBytes];
        Random.Shared.NextBytes(value);
        var system = Start(backend, dataDirectory);
        try
        {
            var store = LeaderlessStore.Get(system);
            var partitions = store.Settings.PartitionCount;
            var host = HostOf(store);
            await ReadEveryPartitionAsync(partitions, _ => host, keys); // starts every replica before the baseline
            var heapBefore = SettledHeapBytes();
            var loading = Stopwatch.StartNew();
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            system.ActorOf(Props.Create(() => new BulkLoader(host, partitions, keys, value, 2048, done)));
            await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
            var loadRate = keys / loading.Elapsed.TotalSeconds;
            var heapPerKey = (double)(SettledHeapBytes() - heapBefore) / keys;

            var recovering = Stopwatch.StartNew();
            int verified;
            string method;
            double? afterDelete = null;
            if (backend == StorageBackend.Memory)
            {
                var replicas = Enumerable.Range(0, partitions).Select(p => system.ActorOf(
                    Replica.Props(new ReplicaOptions(p, store.Topology.Current.Self, store.Storage.JournalPluginId,
                        store.Storage.SnapshotPluginId, store.Settings.Storage.SnapshotEvery,
                        store.Settings.Storage.RecoveryBacklogLimit, store.Topology, store.Settings.Repair, KeyLimits.From(store.Settings))
                    {
                        Metrics = store.Metrics,
                    }),
                    $"recovering-p{p}")).ToArray();
                verified = await ReadEveryPartitionAsync(partitions, p => replicas[p], keys);
                method = "new replica actors replay the in-memory journal";
            }
            else
            {
                await system.Terminate();
                recovering.Restart();
                system = Start(backend, dataDirectory);
                var newHost = HostOf(LeaderlessStore.Get(system));
                verified = await ReadEveryPartitionAsync(partitions, _ => newHost, keys);
                method = "node restarted on the same files; replicas recover from their snapshot and journal tail";
                recovering.Stop();
                await DeleteAllAsync(system, newHost, partitions, keys);
                afterDelete = (double)(SettledHeapBytes() - heapBefore) / keys;
            }
            return new ScaleResult(backend.ToString().ToLowerInvariant(), keys, loadRate, heapPerKey,
                recovering.Elapsed.TotalSeconds, verified, partitions, method, afterDelete);
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
    private static async Task DeleteAllAsync(ActorSystem system, IActorRef host, int partitions, int keys)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new BulkLoader(host, partitions, keys, null, 2048, done)));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
        var sample = SampleKeys(partitions, keys);
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var inspections = await Task.WhenAll(Enumerable.Range(0, partitions).Where(p => sample[p] is not null).Select(p =>
                host.Ask<KeyInspected>(new InspectKey(p, p, sample[p]!), TimeSpan.FromMinutes(1))));
            if (inspections.All(i => i.State.Siblings.Count == 0)) return;
            if (deadline.Elapsed > TimeSpan.FromMinutes(5))
                throw new TimeoutException("The deleted keys' tombstones were not collected within 5 minutes.");
            await Task.Delay(500);
        }
    }

    private static IActorRef HostOf(LeaderlessStore store) =>
        store.Topology.Current.HostOf(store.Topology.Current.Self) ?? throw new InvalidOperationException("No replica host.");

    /// <summary>Reads one loaded key of every partition; returns how many partitions had it.</summary>
    private static async Task<int> ReadEveryPartitionAsync(int partitions, Func<int, IActorRef> replicaOf, int keys)
    {
        var sample = SampleKeys(partitions, keys);
        var reads = Enumerable.Range(0, partitions).Select(p =>
            replicaOf(p).Ask<KeyRead>(new ReadKey(p, p, sample[p] ?? "absent"), TimeSpan.FromMinutes(10)));
        var answers = await Task.WhenAll(reads);
        return answers.Count(a => a.State.HasValues);
    }

    /// <summary>One loaded key of every partition (null for a partition that got none).</summary>
    private static string?[] SampleKeys(int partitions, int keys)
    {
        var partitioner = new KeyPartitioner(partitions);
        var sample = new string?[partitions];
        for (var i = 0; i < keys && sample.Any(s => s is null); i++)
            sample[partitioner.PartitionOf(BulkLoader.KeyOf(i))] ??= BulkLoader.KeyOf(i);
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
