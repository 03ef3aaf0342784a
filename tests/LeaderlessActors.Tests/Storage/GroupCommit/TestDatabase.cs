using Akka.Configuration;
using Microsoft.Data.Sqlite;

namespace LeaderlessActors.Tests.Storage.GroupCommit;

/// <summary>A fresh SQLite file for one test, with the group-commit plugins configured on it; deleted afterwards.</summary>
internal sealed class TestDatabase : IDisposable
{
    public const string JournalId = "test-group-commit-journal";
    public const string SnapshotId = "test-group-commit-snapshots";

    private readonly string _directory = Path.Combine(Path.GetTempPath(), "leaderless-tests", Guid.NewGuid().ToString("N"));

    public TestDatabase() => Directory.CreateDirectory(_directory);

    public string File => Path.Combine(_directory, "journal.db");

    /// <summary>Waits at most 1 s for a lock held elsewhere, so tests of a locked file fail fast.</summary>
    public string ConnectionString => $"Data Source={File};Default Timeout=1";

    public Config PluginConfig()
    {
        var plugin = $"""
            plugin-dispatcher = "akka.persistence.dispatchers.default-plugin-dispatcher"
            connection-string = "{ConnectionString.Replace("\\", "/")}"
            synchronous = Full
            write-queue-limit = 100
            write-batch-limit = 100
            """;
        return ConfigurationFactory.ParseString($$"""
            {{JournalId}} {
              class = "LeaderlessActors.Storage.GroupCommit.GroupCommitJournal, LeaderlessActors"
              {{plugin}}
            }
            {{SnapshotId}} {
              class = "LeaderlessActors.Storage.GroupCommit.GroupCommitSnapshotStore, LeaderlessActors"
              {{plugin}}
            }
            """);
    }

    /// <summary>Rows of <paramref name="table"/>, read straight from the file.</summary>
    public long Count(string table, string where = "1 = 1")
    {
        using var connection = new SqliteConnection($"Data Source={File};Pooling=False");
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = $"SELECT count(*) FROM {table} WHERE {where}";
        return (long)count.ExecuteScalar()!;
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
