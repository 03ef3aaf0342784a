using LeaderlessActors.Benchmarks.Load;
using Akka.Actor;

namespace LeaderlessActors.Benchmarks.Targets;

/// <summary>
/// The store through its public async API. Each write carries the causal context of the last answer seen for its key,
/// as a client that read before writing would, so keys keep one version instead of piling up siblings.
/// </summary>
internal sealed class StoreTarget(IReadOnlyList<ActorSystem> nodes, KeySpace keys) : IKeyValueTarget
{
    private static readonly Dictionary<Level, ReadOptions> Reads = Enum.GetValues<Level>().ToDictionary(l => l, l => new ReadOptions { Consistency = ToConsistency(l) });
    private static readonly Dictionary<Level, WriteOptions> Writes = Enum.GetValues<Level>().ToDictionary(l => l, l => new WriteOptions { Consistency = ToConsistency(l) });

    private readonly LeaderlessStore[] _stores = nodes.Select(LeaderlessStore.Get).ToArray();
    private readonly CausalContext?[] _contexts = new CausalContext?[keys.Count];

    public int Nodes => _stores.Length;

    public string LevelName(Level level) => level.ToString().ToLowerInvariant();

    public double RemoteRoundTrips(Workload workload) => StoreRoundTrips.Of(workload);

    public async Task PutAsync(int node, int key, Level level)
    {
        var result = await _stores[node].PutAsync(keys.Keys[key], keys.Value, Volatile.Read(ref _contexts[key]), Writes[level]);
        Volatile.Write(ref _contexts[key], result.Context);
    }

    public async Task GetAsync(int node, int key, Level level)
    {
        var result = await _stores[node].GetAsync(keys.Keys[key], Reads[level]);
        Volatile.Write(ref _contexts[key], result.Context);
    }

    private static Consistency ToConsistency(Level level) => level switch
    {
        Level.One => Consistency.One,
        Level.All => Consistency.All,
        _ => Consistency.Quorum,
    };
}
