using LeaderlessActors.Benchmarks.Targets;

namespace LeaderlessActors.Benchmarks.Load;

/// <summary>One kind of load: puts, gets or a 50/50 mix, at one consistency level, over uniformly random keys.</summary>
internal sealed record Workload(string Operation, Level Level, double PutFraction)
{
    public static readonly Workload PutQuorum = new("put", Level.Quorum, 1);
    public static readonly Workload GetQuorum = new("get", Level.Quorum, 0);
    public static readonly Workload MixQuorum = new("mix", Level.Quorum, 0.5);

    /// <summary>The store's workloads; the baseline runs the same ones at its matching levels.</summary>
    public static readonly IReadOnlyList<Workload> All =
    [
        PutQuorum, GetQuorum, MixQuorum,
        new("put", Level.One, 1), new("get", Level.One, 0),
        new("put", Level.All, 1), new("get", Level.All, 0),
    ];

    /// <summary>The name <c>--workloads</c> selects it by: operation-level, as in <c>put-quorum</c>.</summary>
    public string Name => $"{Operation}-{Level.ToString().ToLowerInvariant()}";

    public Task RunOnceAsync(IKeyValueTarget target, int node, int key, Random random) =>
        PutFraction >= 1 || PutFraction > 0 && random.NextDouble() < PutFraction
            ? target.PutAsync(node, key, Level)
            : target.GetAsync(node, key, Level);
}
