using Akka.Configuration;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>
/// What every node of a cluster under test runs: the store on a storage backend, or Akka.DistributedData alone (the
/// baseline), with the same remoting and cluster settings either way so the two are compared on equal terms.
/// </summary>
internal sealed record NodeSetup(
    StorageBackend? Storage,
    bool DistributedData,
    string DataDirectory,
    string? PostgresConnectionString = null,
    string PostgresSchemaPrefix = "bench",
    SqliteJournalKind SqliteJournal = SqliteJournalKind.GroupCommit)
{
    public const string SystemName = "bench";

    /// <summary>The row label: store/sqlite is the group-commit journal, store/sqlite-sql Akka.Persistence.Sql's.</summary>
    public string Describe() => Storage switch
    {
        null => "ddata",
        StorageBackend.Sqlite when SqliteJournal == SqliteJournalKind.AkkaPersistenceSql => "store/sqlite-sql",
        { } s => $"store/{s.ToString().ToLowerInvariant()}",
    };

    /// <summary>The <c>leaderless.storage.sqlite.journal</c> value of <see cref="SqliteJournal"/>.</summary>
    public string SqliteJournalName => SqliteJournal == SqliteJournalKind.AkkaPersistenceSql ? "akka-persistence-sql" : "group-commit";

    public string PostgresSchema(int node) => $"{PostgresSchemaPrefix}_n{node}";

    /// <summary>The HOCON of node <paramref name="index"/> listening on <paramref name="port"/> (0 = any free port).</summary>
    public Config ConfigFor(int index, int port)
    {
        var storage = Storage switch
        {
            null => "",
            StorageBackend.Postgres => $"""
                leaderless.storage.backend = postgres
                leaderless.storage.postgres.connection-string = {Quote(PostgresConnectionString ?? "")}
                leaderless.storage.postgres.schema = {Quote(PostgresSchema(index))}
                """,
            { } backend => $"""
                leaderless.storage.backend = {backend.ToString().ToLowerInvariant()}
                leaderless.storage.sqlite.data-dir = {Quote(Path.Combine(DataDirectory, $"node{index}"))}
                leaderless.storage.sqlite.journal = {SqliteJournalName}
                """,
        };
        return ConfigurationFactory.ParseString(storage + "\n" + RemotingConfig(port) + """

            akka.actor.provider = cluster
            akka.coordinated-shutdown.run-by-actor-system-terminate = off
            akka.coordinated-shutdown.terminate-actor-system = off
            akka.cluster {
              downing-provider-class = ""
              seed-node-timeout = 1s
              retry-unsuccessful-join-after = 1s
            }
            """ + "\n" + ExtraConfig).WithFallback(CountingConfig);
    }

    /// <summary>HOCON from <c>LEADERLESS_BENCH_CONFIG</c> for every in-process node, last so it wins: to measure a setting
    /// (for example <c>leaderless.max-live-coordinators = 1000</c>) against the defaults without a rebuild.</summary>
    private static readonly string ExtraConfig = Environment.GetEnvironmentVariable("LEADERLESS_BENCH_CONFIG") ?? "";

    /// <summary>
    /// Remoting on loopback with the counting serializers, shared by the clusters and the raw remoting baseline. The
    /// counting serializers only count what the standard ones write; the bytes on the wire are unchanged.
    /// </summary>
    public static string RemotingConfig(int port) => $$"""
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          log-dead-letters = off
          log-dead-letters-during-shutdown = off
          remote.log-remote-lifecycle-events = off
          remote.dot-netty.tcp {
            hostname = 127.0.0.1
            port = {{port}}
            maximum-frame-size = 2MiB
          }
          actor.serializers {
            hyperion = "{{TypeName<Metering.CountingHyperionSerializer>()}}"
            leaderless-wire = "{{TypeName<Metering.CountingWireSerializer>()}}"
            akka-data-replication = "{{TypeName<Metering.CountingReplicatorSerializer>()}}"
          }
          actor.serialization-identifiers {
            "{{TypeName<Metering.CountingReplicatorSerializer>()}}" = 12
          }
        }
        """;

    // The modules' own defaults are loaded up front (they are otherwise injected when their extension starts) so the
    // serializer overrides above replace their serializers everywhere from the first message on.
    private static readonly Config CountingConfig =
        LeaderlessConfig.Default().WithFallback(Akka.DistributedData.DistributedData.DefaultConfig());

    private static string TypeName<T>() => $"{typeof(T).FullName}, {typeof(T).Assembly.GetName().Name}";

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
