using System.Diagnostics;
using System.Text;
using Akka.Actor;
using Akka.Configuration;
using LeaderlessActors.Partitioning;
using LeaderlessActors.Replication;
using LeaderlessActors.Versioning;

namespace LeaderlessActors.Diagnostics;

/// <summary>
/// Measures what anti-entropy costs as the differences between two replicas grow, for capacity planning and the
/// benchmark program: two stores in this process (separate ActorSystems, in-memory storage, no cluster) are given the same
/// state of every key, written straight into their replicas; then, for each count of differences, that many keys get a
/// newer version on the first store only, and one exchange of every partition between the two repairs them. The figures
/// show how traffic grows with the differences, not with the data.
/// </summary>
public static class AntiEntropyCost
{
    private static readonly TimeSpan LoadTimeout = TimeSpan.FromMinutes(30);
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromMinutes(10);

    /// <summary>Runs one round per entry of <paramref name="differences"/>, each over keys not changed before.</summary>
    /// <param name="keys">The keys both stores hold (<c>key-0000000</c> on).</param>
    /// <param name="valueBytes">The size of every value.</param>
    /// <param name="differences">How many keys differ in each round; together at most <paramref name="keys"/>.</param>
    /// <returns>The cost of each round, in the order of <paramref name="differences"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A negative count, or more differences than keys.</exception>
    public static async Task<IReadOnlyList<AntiEntropyRoundCost>> MeasureAsync(int keys, int valueBytes, IReadOnlyList<int> differences)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(keys);
        ArgumentOutOfRangeException.ThrowIfNegative(valueBytes);
        ArgumentNullException.ThrowIfNull(differences);
        if (differences.Any(d => d < 0) || differences.Sum(d => (long)d) > keys)
            throw new ArgumentOutOfRangeException(nameof(differences), "Counts must not be negative and together at most the keys.");

        var systems = new[] { Start("ae-a"), Start("ae-b") };
        try
        {
            var stores = systems.Select(LeaderlessStore.Get).ToArray();
            var settings = stores[0].Settings;
            var partitioner = new KeyPartitioner(settings.PartitionCount);
            var hosts = stores.ToDictionary(s => s.Topology.Current.Self, s => s.Topology.Current.HostOf(s.Topology.Current.Self)!);
            var states = Enumerable.Range(0, keys).Select(Key).Select(k =>
                (partitioner.PartitionOf(k), k, SiblingSet.Empty.Update(VersionVector.Empty, Value(k, 0, valueBytes), 1))).ToArray();
            await Task.WhenAll(hosts.Values.Select((host, i) => LoadAsync(systems[i], host, states))).ConfigureAwait(false);

            var results = new List<AntiEntropyRoundCost>();
            var changed = 0;
            for (var round = 0; round < differences.Count; round++)
            {
                var newer = states.Skip(changed).Take(differences[round])
                    .Select(s => (s.Item1, s.k, s.Item3.Update(s.Item3.Clock, Value(s.k, round + 1, valueBytes), 2))).ToArray();
                changed += newer.Length;
                await LoadAsync(systems[0], hosts.Values.First(), newer).ConfigureAwait(false);
                var clock = Stopwatch.StartNew();
                var done = new TaskCompletionSource<(long Keys, long Bytes)>(TaskCreationOptions.RunContinuationsAsynchronously);
                systems[0].ActorOf(Props.Create(() => new ExchangeRound(settings.PartitionCount, hosts, settings.AntiEntropy,
                    settings.Repair.ChunkBytes, new RepairThrottle(long.MaxValue / 4, TimeProvider.System), done)));
                var (repaired, bytes) = await done.Task.WaitAsync(RoundTimeout).ConfigureAwait(false);
                results.Add(new AntiEntropyRoundCost(keys, newer.Length, repaired, bytes, clock.Elapsed));
            }
            return results;
        }
        finally
        {
            await Task.WhenAll(systems.Select(s => s.Terminate())).ConfigureAwait(false);
        }
    }

    private static async Task LoadAsync(ActorSystem system, IActorRef host, IReadOnlyList<(int, string, SiblingSet)> states)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        system.ActorOf(Props.Create(() => new StateLoader(host, states, 1024, done)));
        await done.Task.WaitAsync(LoadTimeout).ConfigureAwait(false);
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
