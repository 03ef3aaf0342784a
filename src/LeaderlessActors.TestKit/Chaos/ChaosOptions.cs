namespace LeaderlessActors.TestKit.Chaos;

/// <summary>How a <see cref="ChaosRun"/> runs: the cluster, the clients and the checks. Defaults: 5 nodes, 4 clients,
/// 5 keys, the store itself as the target.</summary>
public sealed record ChaosOptions
{
    /// <summary>The cluster (default 5 nodes on SQLite).</summary>
    public TestClusterOptions Cluster { get; init; } = new() { Nodes = 5 };

    /// <summary>How many concurrent clients (default 4).</summary>
    public int Clients { get; init; } = 4;

    /// <summary>The keys the clients use (default five fruit names): few keys, so operations contend.</summary>
    public IReadOnlyList<string> Keys { get; init; } = ["apple", "banana", "cherry", "damson", "elder"];

    /// <summary>The timeout of each client operation (default 3 s).</summary>
    public TimeSpan OperationTimeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>The timeout of each final read after the last heal (default 10 s).</summary>
    public TimeSpan CheckTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The most siblings a read may return (default 16).</summary>
    public int MaxSiblings { get; init; } = 16;

    /// <summary>What the clients talk to (default the store itself).</summary>
    public IChaosTarget Target { get; init; } = LeaderlessStoreTarget.Instance;

    internal void Validate()
    {
        if (Clients < 1) throw new ArgumentOutOfRangeException(nameof(Clients), Clients, "At least one client.");
        if (Keys.Count == 0) throw new ArgumentOutOfRangeException(nameof(Keys), "At least one key.");
        if (OperationTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(OperationTimeout), "Must be positive.");
        if (CheckTimeout <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(CheckTimeout), "Must be positive.");
        if (MaxSiblings < 1) throw new ArgumentOutOfRangeException(nameof(MaxSiblings), MaxSiblings, "At least 1.");
        ArgumentNullException.ThrowIfNull(Target);
    }
}
