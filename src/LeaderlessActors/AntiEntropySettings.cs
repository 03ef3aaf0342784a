namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless.anti-entropy</c> settings: how the replicas of each partition compare Merkle trees and
/// exchange the keys that differ, driven by a fixed set of workers that Akka.Cluster.Sharding keeps alive cluster-wide,
/// and the one rate limit all background repair traffic of a node shares.
/// </summary>
public sealed record AntiEntropySettings
{
    /// <summary>Whether this node runs anti-entropy workers (in a cluster only). Default on.</summary>
    public required bool Enabled { get; init; }

    /// <summary>How often each partition's replicas are compared. Default 30 s.</summary>
    public required TimeSpan Interval { get; init; }

    /// <summary>How many workers share the partitions cluster-wide (worker i drives partitions p with p mod workers = i).
    /// Default 4.</summary>
    public required int Workers { get; init; }

    /// <summary>Most exchanges one worker runs at once (never two of one partition). Default 2.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Bytes per second of key states that background repair on one node may move. Default 4 MiB.</summary>
    public required long RepairBytesPerSecond { get; init; }

    /// <summary>How long an exchange waits for a replica's answer before it gives up (and the partition's next round tries
    /// again). Default 10 s.</summary>
    public required TimeSpan ExchangeTimeout { get; init; }

    /// <summary>Children per inner node of every replica's Merkle tree. Default 16.</summary>
    public required int TreeFanout { get; init; }

    /// <summary>Levels below the root of every replica's Merkle tree. Default 3.</summary>
    public required int TreeDepth { get; init; }

    /// <summary>How long a tombstone that every owner holds is kept before it is dropped. Default 1 min.</summary>
    public required TimeSpan TombstoneGrace { get; init; }

    internal AntiEntropy.MerkleShape TreeShape => new(TreeFanout, TreeDepth);

    internal static AntiEntropySettings Read(SettingsReader reader)
    {
        var settings = new AntiEntropySettings
        {
            Enabled = reader.Bool("enabled"),
            Interval = reader.Duration("interval"),
            Workers = reader.Int("workers", 1, 1024),
            Concurrency = reader.Int("concurrency", 1, 1024),
            RepairBytesPerSecond = reader.Bytes("repair-bytes-per-second", 1024, long.MaxValue / 4),
            ExchangeTimeout = reader.Duration("exchange-timeout"),
            TreeFanout = reader.Int("tree-fanout", 2, 256),
            TreeDepth = reader.Int("tree-depth", 1, 8),
            TombstoneGrace = reader.Duration("tombstone-grace"),
        };
        if (Math.Pow(settings.TreeFanout, settings.TreeDepth) > 1 << 20)
            throw new LeaderlessConfigurationException(reader.PathOf("tree-depth"),
                $"tree-fanout^tree-depth ({settings.TreeFanout}^{settings.TreeDepth}) is over 2^20 leaves per partition replica.");
        return settings;
    }
}
