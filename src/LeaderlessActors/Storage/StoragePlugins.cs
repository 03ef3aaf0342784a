using Akka.Actor;
using Akka.Configuration;
using Akka.Persistence.Sql;
using Microsoft.Data.Sqlite;

namespace LeaderlessActors.Storage;

/// <summary>
/// Builds the node-local journal and snapshot-store plugins of the configured backend under the store's own plugin ids,
/// so the store never touches the application's default journal. The plugin config depends on the node (its SQLite file
/// is named after its address), so it is injected into the running system as a fallback rather than read from HOCON.
/// </summary>
internal sealed record StoragePlugins(string JournalPluginId, string SnapshotPluginId, string Description)
{
    private const string JournalId = "leaderless.storage.plugins.journal";
    private const string SnapshotId = "leaderless.storage.plugins.snapshot-store";

    public static StoragePlugins Install(ExtendedActorSystem system, StorageSettings settings, Address self)
    {
        var sql = SqlPersistence.Get(system);
        var (journal, snapshot, description) = settings.Backend switch
        {
            StorageBackend.Memory => (Memory("Akka.Persistence.Journal.MemoryJournal"),
                Memory("Akka.Persistence.Snapshot.MemorySnapshotStore"), "memory (not durable)"),
            StorageBackend.Sqlite => Sqlite(sql, settings, self),
            StorageBackend.Postgres => (Sql(sql.DefaultJournalConfig, "PostgreSQL.15", settings.PostgresConnectionString, settings.PostgresSchema, JournalId),
                Sql(sql.DefaultSnapshotConfig, "PostgreSQL.15", settings.PostgresConnectionString, settings.PostgresSchema, SnapshotId),
                $"postgres (schema {settings.PostgresSchema})"),
            _ => throw new ArgumentOutOfRangeException(nameof(settings)),
        };
        var plugins = ConfigurationFactory.ParseString(
            $"{JournalId} {{\n{journal.ToString(true)}\n}}\n{SnapshotId} {{\n{snapshot.ToString(true)}\n}}");
        system.Settings.InjectTopLevelFallback(plugins);
        return new StoragePlugins(JournalId, SnapshotId, description);
    }

    private static Config Memory(string type) =>
        ConfigurationFactory.ParseString($"class = \"{type}, Akka.Persistence\"\nplugin-dispatcher = \"akka.actor.default-dispatcher\"");

    private static (Config, Config, string) Sqlite(SqlPersistence sql, StorageSettings settings, Address self)
    {
        var connectionString = settings.SqliteConnectionString;
        if (connectionString.Length == 0)
        {
            var directory = Path.GetFullPath(settings.SqliteDataDirectory);
            Directory.CreateDirectory(directory);
            var name = self.Port is { } port ? $"node-{self.Host}-{port}.db" : "node-local.db";
            connectionString = new SqliteConnectionStringBuilder { DataSource = Path.Combine(directory, name) }.ToString();
        }
        EnableWriteAheadLog(connectionString);
        // SQLite has one writer at a time: more parallel journal writers only contend for the lock.
        var tuning = ConfigurationFactory.ParseString("parallelism = 1");
        return (tuning.WithFallback(Sql(sql.DefaultJournalConfig, "SQLite.MS", connectionString, null, JournalId)),
            Sql(sql.DefaultSnapshotConfig, "SQLite.MS", connectionString, null, SnapshotId),
            $"sqlite ({new SqliteConnectionStringBuilder(connectionString).DataSource})");
    }

    private static Config Sql(Config defaults, string provider, string connectionString, string? schema, string pluginId)
    {
        var hocon = $"""
            plugin-id = "{pluginId}"
            provider-name = "{provider}"
            connection-string = {Quote(connectionString)}
            auto-initialize = true
            """;
        if (schema is not null) hocon += $"\ndefault.schema-name = {Quote(schema)}";
        var pluginDefaults = defaults.GetConfig(pluginId == SnapshotId ? "akka.persistence.snapshot-store.sql" : "akka.persistence.journal.sql");
        return ConfigurationFactory.ParseString(hocon).WithFallback(pluginDefaults);
    }

    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\").Replace("\"", "\\\"") + "\"";

    // WAL lets readers proceed during a write and turns each commit into one sequential append; the mode is stored in
    // the database file, so setting it once before the journal opens is enough.
    private static void EnableWriteAheadLog(string connectionString)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA journal_mode=WAL;";
        command.ExecuteNonQuery();
    }
}
