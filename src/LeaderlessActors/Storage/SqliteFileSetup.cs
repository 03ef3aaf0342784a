using Microsoft.Data.Sqlite;

namespace LeaderlessActors.Storage;

/// <summary>
/// What a node does to its SQLite file before a journal opens it: WAL mode, and a check that the file holds no data of
/// the other SQLite journal. The two keep separate tables, so switching <c>leaderless.storage.sqlite.journal</c> on a
/// file with data would start every replica empty, as if the node had lost its disk; the node refuses to start instead.
/// </summary>
internal static class SqliteFileSetup
{
    private const string JournalKey = "leaderless.storage.sqlite.journal";

    public static void Prepare(string connectionString, SqliteJournalKind journal)
    {
        using var connection = new SqliteConnection(connectionString);
        connection.Open();
        // WAL lets readers proceed during a write and turns each commit into one sequential append; the mode is stored
        // in the database file, so setting it once before the journal opens is enough.
        Execute(connection, "PRAGMA journal_mode=WAL;");
        var (others, otherName) = journal == SqliteJournalKind.GroupCommit
            ? (new[] { "journal", "snapshot" }, "akka-persistence-sql")
            : (new[] { GroupCommit.JournalSchema.EventsTable, GroupCommit.JournalSchema.SnapshotsTable }, "group-commit");
        foreach (var table in others.Where(t => HasRows(connection, t)))
            throw new LeaderlessConfigurationException(JournalKey,
                $"{connection.DataSource} holds data of the {otherName} journal (table {table}); set {JournalKey} = {otherName} " +
                "to keep using it, or give this journal a new file.");
    }

    private static bool HasRows(SqliteConnection connection, string table)
    {
        using var exists = connection.CreateCommand();
        exists.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = $table";
        exists.Parameters.AddWithValue("$table", table);
        if ((long)exists.ExecuteScalar()! == 0) return false;
        using var any = connection.CreateCommand();
        any.CommandText = $"SELECT EXISTS (SELECT 1 FROM \"{table}\")";
        return (long)any.ExecuteScalar()! == 1;
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }
}
