using LeaderlessActors.Benchmarks.Load;
namespace LeaderlessActors.Benchmarks.Targets;

/// <summary>How many replicas an operation waits for. DistributedData calls them Local, Majority and All.</summary>
internal enum Level
{
    One,
    Quorum,
    All,
}

/// <summary>A replicated key-value service under load: the store, or the DistributedData baseline.</summary>
internal interface IKeyValueTarget
{
    /// <summary>Nodes the clients can send to; client <c>i</c> uses node <c>i % Nodes</c>.</summary>
    int Nodes { get; }

    string LevelName(Level level);

    /// <summary>Remote request/response pairs one operation of <paramref name="workload"/> needs before it can answer the
    /// client (the model behind the fraction-of-remoting-limit figure), for a 3-node cluster and a client on one of the
    /// key's replicas; a mix averages its puts and gets.</summary>
    double RemoteRoundTrips(Workload workload);

    Task PutAsync(int node, int key, Level level);

    Task GetAsync(int node, int key, Level level);
}

/// <summary>The keys and the value every target is loaded with.</summary>
internal sealed class KeySpace
{
    public KeySpace(int keys, int valueBytes)
    {
        Keys = Enumerable.Range(0, keys).Select(i => $"key-{i:D7}").ToArray();
        Value = new byte[valueBytes];
        new Random(42).NextBytes(Value);
    }

    public string[] Keys { get; }

    public byte[] Value { get; }

    public int Count => Keys.Length;
}
