using Akka.Actor;

namespace LeaderlessActors.TestKit;

/// <summary>Where the nodes of a <see cref="TestCluster"/> keep their replicas.</summary>
public enum TestStorage
{
    /// <summary>A SQLite file per node in a temporary folder, deleted on dispose. A restarted node has its data back.</summary>
    Sqlite,

    /// <summary>In memory: quick, but a crashed or restarted node comes back empty, as a node that lost its disk would.</summary>
    Memory,
}

/// <summary>How a <see cref="TestCluster"/> is started. Every property has a default that suits a quick spec.</summary>
public sealed record TestClusterOptions
{
    /// <summary>How many nodes start (default 3). At least 1.</summary>
    public int Nodes { get; init; } = 3;

    /// <summary>Where replicas are kept (default <see cref="TestStorage.Sqlite"/>). HOCON in
    /// <see cref="ExtraConfig"/> or <see cref="NodeConfig"/> (for example <c>leaderless.storage.backend = postgres</c>)
    /// overrides it.</summary>
    public TestStorage Storage { get; init; } = TestStorage.Sqlite;

    /// <summary>HOCON for every node, over the test cluster's own settings and the store's defaults (default none).</summary>
    public string ExtraConfig { get; init; } = "";

    /// <summary>HOCON for node <c>i</c> only, over <see cref="ExtraConfig"/> (default none). Also applied to joined nodes
    /// and to a node when it restarts.</summary>
    public Func<int, string>? NodeConfig { get; init; }

    /// <summary>Runs on every node's <see cref="ActorSystem"/> once it started (and again after a restart or a join), before
    /// the cluster is awaited: the place to start the application's own actors (default none).</summary>
    public Action<ActorSystem, int>? OnNodeStarted { get; init; }

    /// <summary>How long the clock-free waits wait before they fail (default 30 s).</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Akka log level of the nodes (default the environment variable <c>LEADERLESS_TEST_LOGLEVEL</c>, else
    /// WARNING): DEBUG shows what the nodes did when a spec fails.</summary>
    public string LogLevel { get; init; } = Environment.GetEnvironmentVariable("LEADERLESS_TEST_LOGLEVEL") ?? "WARNING";

    internal void Validate()
    {
        if (Nodes < 1) throw new ArgumentOutOfRangeException(nameof(Nodes), Nodes, "A test cluster needs at least one node.");
        if (WaitTimeout <= TimeSpan.Zero)
            throw new ArgumentOutOfRangeException(nameof(WaitTimeout), WaitTimeout, "The wait timeout must be positive.");
        if (!Enum.IsDefined(Storage)) throw new ArgumentOutOfRangeException(nameof(Storage), Storage, "Unknown storage.");
    }
}
