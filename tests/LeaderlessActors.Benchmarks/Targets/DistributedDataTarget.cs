using LeaderlessActors.Benchmarks.Load;
using Akka.Actor;
using Akka.DistributedData;

namespace LeaderlessActors.Benchmarks.Targets;

/// <summary>The baseline: Akka.DistributedData with one <c>LWWRegister&lt;byte[]&gt;</c> per key.</summary>
internal sealed class DistributedDataTarget : IKeyValueTarget
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan AskTimeout = Timeout + TimeSpan.FromSeconds(2);

    private readonly IActorRef[] _replicators;
    private readonly Akka.Cluster.UniqueAddress[] _selves;
    private readonly LWWRegister<byte[]>[] _initial;
    private readonly LWWRegisterKey<byte[]>[] _keys;
    private readonly byte[] _value;

    public DistributedDataTarget(IReadOnlyList<ActorSystem> nodes, KeySpace keys)
    {
        _replicators = nodes.Select(n => DistributedData.Get(n).Replicator).ToArray();
        _selves = nodes.Select(n => Akka.Cluster.Cluster.Get(n).SelfUniqueAddress).ToArray();
        _initial = _selves.Select(s => new LWWRegister<byte[]>(s, [])).ToArray();
        _keys = keys.Keys.Select(k => new LWWRegisterKey<byte[]>(k)).ToArray();
        _value = keys.Value;
    }

    public int Nodes => _replicators.Length;

    public string LevelName(Level level) => level switch
    {
        Level.One => "local",
        Level.All => "all",
        _ => "majority",
    };

    // Majority on 3 nodes: the local replica plus one other (DistributedData sends to the others only if that one is
    // slow); All: both others; Local: none before the answer (gossip spreads the change later).
    public double RemoteRoundTrips(Workload workload) => workload.Level switch
    {
        Level.One => 0,
        Level.All => 2,
        _ => 1,
    };

    public async Task PutAsync(int node, int key, Level level)
    {
        var self = _selves[node];
        IWriteConsistency consistency = level switch
        {
            Level.One => WriteLocal.Instance,
            Level.All => new WriteAll(Timeout),
            _ => new WriteMajority(Timeout),
        };
        var response = await _replicators[node].Ask<IUpdateResponse>(
            Dsl.Update(_keys[key], _initial[node], consistency, r => r.WithValue(self, _value)), AskTimeout);
        if (!response.IsSuccessful) throw new InvalidOperationException($"DistributedData update failed: {response.GetType().Name}");
    }

    public async Task GetAsync(int node, int key, Level level)
    {
        IReadConsistency consistency = level switch
        {
            Level.One => ReadLocal.Instance,
            Level.All => new ReadAll(Timeout),
            _ => new ReadMajority(Timeout),
        };
        var response = await _replicators[node].Ask<IGetResponse>(Dsl.Get(_keys[key], consistency), AskTimeout);
        if (response.IsFailure) throw new InvalidOperationException($"DistributedData read failed: {response.GetType().Name}");
    }
}
