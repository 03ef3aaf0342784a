namespace LeaderlessActors.Benchmarks;

/// <summary>What one run measures and for how long. <see cref="Quick"/> is the smoke-test preset.</summary>
internal sealed record BenchmarkOptions
{
    public int Keys { get; init; } = 10_000;
    public int ValueBytes { get; init; } = 100;
    public IReadOnlyList<int> Concurrency { get; init; } = [1, 64];
    public TimeSpan Warmup { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(5);
    public int Repetitions { get; init; } = 3;
    public IReadOnlyList<Suite> Suites { get; init; } = AllSuites;
    public IReadOnlyList<string> Workloads { get; init; } = Load.Workload.All.Select(w => w.Name).ToList();
    public string? PostgresConnectionString { get; init; }
    public bool NodeProcesses { get; init; }
    public int ScaleKeys { get; init; } = 1_000_000;
    /// <summary>Keys on each replica of the anti-entropy figure; 100, then 10 and 1000 of them differ.</summary>
    public int AntiEntropyKeys { get; init; } = 100_000;
    public string OutputDirectory { get; init; } = "benchmark-results";
    public bool IsQuick { get; init; }

    /// <summary>Window of the pipelined remoting baseline: requests in flight, with no ask per request. On the project's
    /// 2-core machine 256 did best: wider windows only queue.</summary>
    public int PipelineWindow { get; init; } = 256;

    public static readonly IReadOnlyList<Suite> AllSuites = Enum.GetValues<Suite>();

    /// <summary>Every code path once, briefly: a smoke run, not a measurement.</summary>
    public BenchmarkOptions AsQuick() => this with
    {
        IsQuick = true,
        Keys = Math.Min(Keys, 500),
        Warmup = TimeSpan.FromMilliseconds(100),
        Duration = TimeSpan.FromMilliseconds(400),
        Repetitions = 1,
        ScaleKeys = Math.Min(ScaleKeys, 10_000),
        AntiEntropyKeys = Math.Min(AntiEntropyKeys, 2_000),
    };

    public bool Runs(Suite suite) =>
        Suites.Contains(suite) && (suite != Suite.Postgres || !string.IsNullOrEmpty(PostgresConnectionString));
}

/// <summary>The parts of a run; <c>--suites</c> picks a subset.</summary>
internal enum Suite
{
    Memory,
    /// <summary>The store on SQLite with the group-commit journal (the default).</summary>
    Sqlite,
    /// <summary>The store on SQLite with Akka.Persistence.Sql's journal (<c>--suites sqlite-sql</c>).</summary>
    SqliteSql,
    Postgres,
    DData,
    Remoting,
    Scale,
    /// <summary>Bytes and time of anti-entropy repairing a few differing keys among many (<c>--suites anti-entropy</c>).</summary>
    AntiEntropy,
    /// <summary>Three processes of the node host (src/LeaderlessActors.Node) driven over HTTP by wrk: quorum put and get.</summary>
    Http,
}
