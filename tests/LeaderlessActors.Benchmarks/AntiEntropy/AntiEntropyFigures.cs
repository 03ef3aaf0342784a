using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Benchmarks.AntiEntropy;

/// <summary>The bytes and time of one anti-entropy round that repairs <paramref name="Differing"/> keys out of
/// <paramref name="Keys"/> on a replica.</summary>
internal sealed record AntiEntropyResult(int Keys, int Differing, long KeysRepaired, long Bytes, double Seconds);

/// <summary>
/// Two nodes (separate ActorSystems, in-memory storage, no cluster) are given the same <c>--anti-entropy-keys</c> key
/// states; then, for each count of differences, that many keys get a newer version on the first node only, and one
/// exchange of every partition between the two repairs them. Bytes are what the exchanges count (hashes, leaf entries,
/// key states read and sent: the store's own anti_entropy.bytes metric), time is the round's, unthrottled and without a
/// network between the nodes: the figure shows how traffic grows with the differences, not with the data.
/// </summary>
internal static class AntiEntropyFigures
{
    public static async Task<IReadOnlyList<AntiEntropyResult>> RunAsync(int keys, int valueBytes, IReadOnlyList<int> differences)
    {
        var systems = new[] { Start("ae-a"), Start("ae-b") };
        try
        {
            var stores = systems.Select(LeaderlessStore.Get).ToArray();
            var settings = stores[0].Settings;
            var partitioner = new KeyPartitioner(settings.PartitionCount);
            var hosts = stores.ToDictionary(s => s.Topology.Current.Self, s => s.Topology.Current.HostOf(s.Topology.Current.Self)!);
            var states = Enumerable.Range(0, keys).Select(i => Key(i)).Select(k =>
                (partitioner.PartitionOf(k), k, SiblingSet.Empty.Update(VersionVector.Empty, Value(k, 0, valueBytes), 1))).ToArray();
            await Task.WhenAll(hosts.Values.Select((host, i) => LoadAsync(systems[i], host, states)));

            var results = new List<AntiEntropyResult>();
            var changed = 0;
            for (var round = 0; round < differences.Count; round++)
            {
                var newer = states.Skip(changed).Take(differences[round])
                    .Select(s => (s.Item1, s.k, s.Item3.Update(s.Item3.Clock, Value(s.k, round + 1, valueBytes), 2))).ToArray();
                changed += newer.Length;
                await LoadAsync(systems[0], hosts.Values.First(), newer);
                var clock = Stopwatch.StartNew();
                var done = new TaskCompletionSource<(long Keys, long Bytes)>(TaskCreationOptions.RunContinuationsAsynchronously);
                systems[0].ActorOf(Props.Create(() => new ExchangeRound(settings.PartitionCount, hosts, settings.AntiEntropy,
                    settings.Repair.ChunkBytes, new RepairThrottle(long.MaxValue / 4, TimeProvider.System), done)));
                var (repaired, bytes) = await done.Task.WaitAsync(TimeSpan.FromMinutes(10));
                results.Add(new AntiEntropyResult(keys, newer.Length, repaired, bytes, clock.Elapsed.TotalSeconds));
            }
            return results;
        }
        finally
        {
            await Task.WhenAll(systems.Select(s => s.Terminate()));
        }
    }

    /// <summary>The report's line: bytes and time per count of differences.</summary>
    public static string Describe(IReadOnlyList<AntiEntropyResult> results) => results.Count == 0
        ? "not measured (--suites without anti-entropy)"
        : string.Join("; ", results.Select(r =>
            $"{r.Differing} of {r.Keys:N0} keys differ: {r.Bytes:N0} bytes ({(double)r.Bytes / Math.Max(1, r.Differing):N0} per key), " +
            $"{r.KeysRepaired} repaired in {r.Seconds:N2} s"));

    private static async Task LoadAsync(ActorSystem system, IActorRef host, IReadOnlyList<(int, string, SiblingSet)> states)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new StateLoader(host, states, 1024, done)));
        await done.Task.WaitAsync(TimeSpan.FromMinutes(30));
    }

    private static string Key(int i) => $"key-{i:D7}";

    private static byte[] Value(string key, int version, int bytes) => Encoding.UTF8.GetBytes($"{key}/{version}".PadRight(bytes, '.'));

    private static ActorSystem Start(string name) =>
        ActorSystem.Create(name, ConfigurationFactory.ParseString("""
            akka.loglevel = WARNING
            akka.stdout-loglevel = WARNING
            leaderless.replication-factor = 1
            leaderless.storage.backend = memory
            """));
}
