using LeaderlessActors.Storage;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LeaderlessActors.Tests.Storage.GroupCommit;

/// <summary>A node never opens a SQLite file with one journal while the file holds the other journal's data: its
/// replicas would start empty, as if the disk were lost.</summary>
public sealed class SqliteFileSetupSpec : IDisposable
{
    private readonly TestDatabase _database = new();

    [Theory]
    [InlineData("journal", SqliteJournalKind.GroupCommit, "akka-persistence-sql")]
    [InlineData("snapshot", SqliteJournalKind.GroupCommit, "akka-persistence-sql")]
    [InlineData("leaderless_events", SqliteJournalKind.AkkaPersistenceSql, "group-commit")]
    [InlineData("leaderless_snapshots", SqliteJournalKind.AkkaPersistenceSql, "group-commit")]
    public void Opening_a_file_that_holds_the_other_journals_data_fails_naming_the_setting(string table, SqliteJournalKind chosen, string other)
    {
        Execute($"CREATE TABLE {table} (persistence_id TEXT); INSERT INTO {table} VALUES ('leaderless-replica-0');");

        var error = Assert.Throws<LeaderlessConfigurationException>(() => SqliteFileSetup.Prepare(_database.ConnectionString, chosen));
        Assert.Equal("leaderless.storage.sqlite.journal", error.Key);
        Assert.Contains(other, error.Message);
        Assert.Contains(table, error.Message);
    }

    [Theory]
    [InlineData(SqliteJournalKind.GroupCommit)]
    [InlineData(SqliteJournalKind.AkkaPersistenceSql)]
    public void Opening_a_file_whose_other_journal_tables_are_empty_succeeds_in_wal_mode(SqliteJournalKind chosen)
    {
        Execute("CREATE TABLE journal (persistence_id TEXT); CREATE TABLE leaderless_events (persistence_id TEXT);");

        SqliteFileSetup.Prepare(_database.ConnectionString, chosen);

        using var connection = new SqliteConnection($"Data Source={_database.File};Pooling=False");
        connection.Open();
        using var mode = connection.CreateCommand();
        mode.CommandText = "PRAGMA journal_mode";
        Assert.Equal("wal", mode.ExecuteScalar());
    }

    private void Execute(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={_database.File};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public void Dispose() => _database.Dispose();
}
