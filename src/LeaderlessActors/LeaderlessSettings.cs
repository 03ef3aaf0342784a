using Akka.Configuration;

namespace LeaderlessActors;

/// <summary>
/// The validated <c>leaderless</c> settings. Defaults live only in <c>hocon/reference.conf</c>; this class reads and checks
/// them and fails with <see cref="LeaderlessConfigurationException"/> naming the key of the first bad value.
/// </summary>
public sealed record LeaderlessSettings
{
    /// <summary>Number of partitions (Q). Default 64.</summary>
    public required int PartitionCount { get; init; }

    /// <summary>Replicas per partition (N). Default 3.</summary>
    public required int ReplicationFactor { get; init; }

    /// <summary>Points per member on the consistent-hash ring. Default 128.</summary>
    public required int VirtualNodesPerMember { get; init; }

    /// <summary>Default R. Default quorum.</summary>
    public required Consistency ReadConsistency { get; init; }

    /// <summary>Default W. Default quorum.</summary>
    public required Consistency WriteConsistency { get; init; }

    /// <summary>Default request timeout. Default 5 s.</summary>
    public required TimeSpan RequestTimeout { get; init; }

    /// <summary>How long a coordinator waits for the remaining replicas after answering the client. Default 1 s.</summary>
    public required TimeSpan SettleWindow { get; init; }

    /// <summary>How quorum reads ask R replicas first and hedge to the others.</summary>
    public required ReadHedgingSettings ReadHedging { get; init; }

    /// <summary>Longest key in UTF-8 bytes. Default 1024.</summary>
    public required int MaxKeyBytes { get; init; }

    /// <summary>Largest value in bytes. Default 1 MiB.</summary>
    public required int MaxValueBytes { get; init; }

    /// <summary>Most requests coordinated at once per node; past it requests wait in a queue. Default 1000.</summary>
    public required int MaxLiveCoordinators { get; init; }

    /// <summary>Most requests waiting for a coordinator slot (or for the node to be able to plan); past it requests fail
    /// with <see cref="OverloadedException"/>. Default 10000; 0 refuses at once past <see cref="MaxLiveCoordinators"/>.</summary>
    public required int MaxQueuedRequests { get; init; }

    /// <summary>Most siblings per key. Default 64.</summary>
    public required int MaxSiblings { get; init; }

    /// <summary>
    /// Most bytes a client write may leave in one key's state (its siblings and clock); 0 derives it from the remote frame
    /// (see <c>reference.conf</c>), and without remoting means no byte bound. Default 0.
    /// </summary>
    public required long MaxKeyStateBytes { get; init; }

    /// <summary>Most entries of a key's clock, and so of a causal context. Default 1000.</summary>
    public required int MaxClockEntries { get; init; }

    /// <summary>How causal contexts are authenticated.</summary>
    public required ContextSettings Context { get; init; }

    /// <summary>Where replicas keep their data.</summary>
    public required StorageSettings Storage { get; init; }

    /// <summary>How replicas that lost history are repaired.</summary>
    public required RepairSettings Repair { get; init; }

    /// <summary>Hinted handoff and sloppy quorum.</summary>
    public required HintSettings Hints { get; init; }
    /// <summary>The <c>leaderless.ring</c> settings: how the agreed ring spreads, and automatic removal (off).</summary>
    public required RingSettings Ring { get; init; }
    /// <summary>How replicas compare Merkle trees and repair the keys that differ in the background.</summary>
    public required AntiEntropySettings AntiEntropy { get; init; }
    /// <summary>How a partition's data follows it to new owners.</summary>
    public required HandoffSettings Handoff { get; init; }

    /// <summary>Reads <c>leaderless</c> from <paramref name="config"/>, with the embedded defaults as fallback.</summary>
    public static LeaderlessSettings Create(Config config)
    {
        var c = config.WithFallback(LeaderlessConfig.Default()).GetConfig("leaderless");
        var reader = new SettingsReader(c, "leaderless");
        var settings = new LeaderlessSettings
        {
            PartitionCount = reader.Int("partition-count", 1, 65536),
            ReplicationFactor = reader.Int("replication-factor", 1, 16),
            VirtualNodesPerMember = reader.Int("virtual-nodes-per-member", 1, 4096),
            ReadConsistency = reader.Consistency("read-consistency"),
            WriteConsistency = reader.Consistency("write-consistency"),
            RequestTimeout = reader.Duration("request-timeout"),
            SettleWindow = reader.Duration("settle-window"),
            ReadHedging = ReadHedgingSettings.Read(reader.Section("read-hedging")),
            MaxKeyBytes = (int)reader.Bytes("max-key-bytes", 1, 64 * 1024),
            MaxValueBytes = (int)reader.Bytes("max-value-bytes", 0, 256 * 1024 * 1024),
            MaxLiveCoordinators = reader.Int("max-live-coordinators", 1, 10_000_000),
            MaxQueuedRequests = reader.Int("max-queued-requests", 0, 10_000_000),
            MaxSiblings = reader.Int("max-siblings", 1, 100_000),
            MaxKeyStateBytes = reader.Bytes("max-key-state-bytes", 0, long.MaxValue / 64),
            MaxClockEntries = reader.Int("max-clock-entries", 1, 1_000_000),
            Context = ContextSettings.Read(reader.Section("context")),
            Storage = StorageSettings.Read(reader.Section("storage")),
            Repair = RepairSettings.Read(reader.Section("repair")),
            Hints = HintSettings.Read(reader.Section("hints")),
            Ring = RingSettings.Read(reader.Section("ring")),
            AntiEntropy = AntiEntropySettings.Read(reader.Section("anti-entropy")),
            Handoff = HandoffSettings.Read(reader.Section("handoff")),
        };
        foreach (var (key, consistency) in new[] { ("read-consistency", settings.ReadConsistency), ("write-consistency", settings.WriteConsistency) })
        {
            var required = consistency.RequiredFor(settings.ReplicationFactor);
            if (required > settings.ReplicationFactor)
                throw new LeaderlessConfigurationException($"leaderless.{key}",
                    $"{consistency} needs {required} replicas but replication-factor is {settings.ReplicationFactor}.");
        }
        if (settings.MaxKeyStateBytes != 0 && settings.MaxKeyStateBytes < FrameBudget.StateOfOneValue(settings))
            throw new LeaderlessConfigurationException("leaderless.max-key-state-bytes",
                $"{settings.MaxKeyStateBytes} cannot hold one value of max-value-bytes; set 0 or at least {FrameBudget.StateOfOneValue(settings)}.");
        return settings;
    }
}

/// <summary>The storage backend of a node's replicas.</summary>
public enum StorageBackend
{
    /// <summary>A SQLite file per node (durable; the default).</summary>
    Sqlite,
    /// <summary>A PostgreSQL database or schema per node (durable).</summary>
    Postgres,
    /// <summary>Process memory only: NOT durable, for tests and benchmarks.</summary>
    Memory,
}

/// <summary>The journal and snapshot store a node keeps in its SQLite file.</summary>
public enum SqliteJournalKind
{
    /// <summary>The store's own journal on Microsoft.Data.Sqlite: one writer thread per file commits whatever all
    /// replicas queued in one transaction (the default).</summary>
    GroupCommit,
    /// <summary>Akka.Persistence.Sql's journal and snapshot store (linq2db), one statement per row.</summary>
    AkkaPersistenceSql,
}

/// <summary>SQLite's <c>synchronous</c> mode for the group-commit journal's commits.</summary>
public enum SqliteSynchronous
{
    /// <summary>Every commit is synced to disk before it is acknowledged: survives a power loss (the default).</summary>
    Full,
    /// <summary>Commits are synced at WAL checkpoints only: survives a crash of the process, not a power loss or an
    /// operating-system crash, which can lose the last commits.</summary>
    Normal,
}

/// <summary>The validated <c>leaderless.storage</c> settings.</summary>
public sealed record StorageSettings
{
    /// <summary>The backend. Default sqlite.</summary>
    public required StorageBackend Backend { get; init; }

    /// <summary>Folder of the node's SQLite file. Default "leaderless-data".</summary>
    public required string SqliteDataDirectory { get; init; }

    /// <summary>Explicit SQLite connection string; empty to derive it from the data folder. Default empty.</summary>
    public required string SqliteConnectionString { get; init; }

    /// <summary>The journal and snapshot store on the SQLite file. Default group-commit.</summary>
    public required SqliteJournalKind SqliteJournal { get; init; }

    /// <summary>How the group-commit journal syncs a commit to disk. Default full.</summary>
    public required SqliteSynchronous SqliteSynchronous { get; init; }

    /// <summary>Most journal and snapshot writes waiting for the group-commit writer; more fail at once. Default 10000.</summary>
    public required int SqliteWriteQueueLimit { get; init; }

    /// <summary>Most waiting writes the group-commit writer commits in one transaction. Default 1000.</summary>
    public required int SqliteWriteBatchLimit { get; init; }

    /// <summary>This node's PostgreSQL connection string. Required with the postgres backend.</summary>
    public required string PostgresConnectionString { get; init; }

    /// <summary>Schema of the PostgreSQL tables. Default "public".</summary>
    public required string PostgresSchema { get; init; }

    /// <summary>Events a replica writes between snapshots of its partition. Default 1000.</summary>
    public required int SnapshotEvery { get; init; }

    /// <summary>Most commands one replica holds while it recovers; more are refused at once. Default 10000.</summary>
    public required int RecoveryBacklogLimit { get; init; }

    /// <summary>Whether a write's new version goes to the other replicas while the coordinating replica's journal is still
    /// writing it (<c>fan-out-before-durable</c>), rather than once it is durable. Default false.</summary>
    public required bool FanOutBeforeDurable { get; init; }

    internal static StorageSettings Read(SettingsReader reader)
    {
        var backend = reader.Enum<StorageBackend>("backend");
        var settings = new StorageSettings
        {
            Backend = backend,
            SqliteDataDirectory = reader.String("sqlite.data-dir"),
            SqliteConnectionString = reader.String("sqlite.connection-string"),
            SqliteJournal = reader.Enum<SqliteJournalKind>("sqlite.journal"),
            SqliteSynchronous = reader.Enum<SqliteSynchronous>("sqlite.synchronous"),
            SqliteWriteQueueLimit = reader.Int("sqlite.write-queue-limit", 1, 10_000_000),
            SqliteWriteBatchLimit = reader.Int("sqlite.write-batch-limit", 1, 1_000_000),
            PostgresConnectionString = reader.String("postgres.connection-string"),
            PostgresSchema = reader.String("postgres.schema"),
            SnapshotEvery = reader.Int("snapshot-every", 1, 10_000_000),
            RecoveryBacklogLimit = reader.Int("recovery-backlog-limit", 1, 10_000_000),
            FanOutBeforeDurable = reader.Bool("fan-out-before-durable"),
        };
        if (backend == StorageBackend.Sqlite && settings.SqliteConnectionString.Length == 0 && settings.SqliteDataDirectory.Length == 0)
            throw new LeaderlessConfigurationException(reader.PathOf("sqlite.data-dir"), "set a folder or sqlite.connection-string.");
        if (backend == StorageBackend.Postgres && settings.PostgresConnectionString.Length == 0)
            throw new LeaderlessConfigurationException(reader.PathOf("postgres.connection-string"), "required when backend = postgres.");
        if (backend == StorageBackend.Postgres && settings.PostgresSchema.Length == 0)
            throw new LeaderlessConfigurationException(reader.PathOf("postgres.schema"), "must not be empty.");
        return settings;
    }
}
