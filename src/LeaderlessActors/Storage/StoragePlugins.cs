using Akka.Actor;
using Akka.Configuration;
using LeaderlessActors.Storage.GroupCommit;
using Microsoft.Data.Sqlite;

namespace LeaderlessActors.Storage;

/// <summary>
/// Builds the node-local journal and snapshot-store plugins of the configured backend under the store's own plugin ids,
/// so the store never touches the application's default journal. The plugin config depends on the node (its SQLite file
/// is named after its address), so it is injected into the running system as a fallback rather than read from HOCON.
/// </summary>
internal sealed record StoragePlugins(string JournalPluginId, string SnapshotPluginId, string Description)
{
    /// <summary>The plugins' HOCON, for the caller to inject into the system once (see LeaderlessStore); empty for
    /// plugins the system already configures.</summary>
    public Config PluginConfig { get; init; } = Config.Empty;

    private const string JournalId = "leaderless.storage.plugins.journal";
    private const string SnapshotId = "leaderless.storage.plugins.snapshot-store";
    // Akka.Persistence.Sql's journal with a fix for batches without events; see SqlJournal.
    private static readonly string SqlJournalType = $"{typeof(SqlJournal).FullName}, {typeof(SqlJournal).Assembly.GetName().Name}";
    private const string SqlSnapshots = "Akka.Persistence.Sql.Snapshot.SqlSnapshotStore, Akka.Persistence.Sql";

    /// <summary>The plugins of <paramref name="settings"/>' backend for node <paramref name="self"/>, their database
    /// prepared.</summary>
    public static StoragePlugins For(StorageSettings settings, Address self)
    {
        if (settings.Backend == StorageBackend.Postgres) PostgresSchema.Ensure(settings);
        var (journal, snapshots, description) = settings.Backend switch
        {
            StorageBackend.Memory => (Memory("Akka.Persistence.Journal.MemoryJournal"),
                Memory("Akka.Persistence.Snapshot.MemorySnapshotStore"), "memory (not durable)"),
            StorageBackend.Sqlite => Sqlite(settings, self),
            StorageBackend.Postgres => (
                Sql(SqlJournalType, JournalId, "PostgreSQL.15", settings.PostgresConnectionString, settings.PostgresSchema),
                Sql(SqlSnapshots, SnapshotId, "PostgreSQL.15", settings.PostgresConnectionString, settings.PostgresSchema),
                $"postgres (schema {settings.PostgresSchema})"),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
        return new StoragePlugins(JournalId, SnapshotId, description)
        {
            PluginConfig = ConfigurationFactory.ParseString($"{JournalId} {{\n{journal}\n}}\n{SnapshotId} {{\n{snapshots}\n}}"),
        };
    }

    private static string Memory(string type) =>
        $"class = \"{type}, Akka.Persistence\"\nplugin-dispatcher = \"akka.actor.default-dispatcher\"";

    private static (string, string, string) Sqlite(StorageSettings settings, Address self)
    {
        var connectionString = settings.SqliteConnectionString;
        if (connectionString.Length == 0)
        {
            var directory = Path.GetFullPath(settings.SqliteDataDirectory);
            Directory.CreateDirectory(directory);
            var name = self.Port is { } port ? $"node-{self.Host}-{port}.db" : "node-local.db";
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, name) }.ToString();
        }
        SqliteFileSetup.Prepare(connectionString, settings.SqliteJournal);
        var file = new SqliteConnectionStringBuilder(connectionString).DataSource;
        if (settings.SqliteJournal == SqliteJournalKind.GroupCommit)
        {
            var options = new GroupCommitOptions(connectionString, settings.SqliteSynchronous, settings.SqliteWriteQueueLimit,
                settings.SqliteWriteBatchLimit).ToHocon();
            // The plugins' own threads do the blocking SQLite calls; the actors only hand work over.
            return (GroupCommitPlugin(typeof(GroupCommitJournal), options), GroupCommitPlugin(typeof(GroupCommitSnapshotStore), options),
                $"sqlite ({file}, group-commit journal, synchronous={settings.SqliteSynchronous.ToString().ToLowerInvariant()})");
        }
        // SQLite has one writer at a time: more parallel journal writers only contend for the lock.
        return (Sql(SqlJournalType, JournalId, "SQLite.MS", connectionString, null) + "\nparallelism = 1",
            Sql(SqlSnapshots, SnapshotId, "SQLite.MS", connectionString, null),
            $"sqlite ({file}, akka-persistence-sql journal)");
    }

    private static string GroupCommitPlugin(Type plugin, string options) =>
        $"class = \"{plugin.FullName}, {plugin.Assembly.GetName().Name}\"\nplugin-dispatcher = \"akka.persistence.dispatchers.default-plugin-dispatcher\"\n{options}";

    // Only what differs from Akka.Persistence.Sql's defaults, which the plugin falls back to by itself.
    private static string Sql(string type, string pluginId, string provider, string connectionString, string? schema) =>
        $"""
        class = "{type}"
        plugin-id = "{pluginId}"
        plugin-dispatcher = "akka.persistence.dispatchers.default-plugin-dispatcher"
        provider-name = "{provider}"
        connection-string = {Quote(connectionString)}
        auto-initialize = true
        """ + (schema is null ? "" : $"\ndefault.schema-name = {Quote(schema)}");

    internal static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";
}
