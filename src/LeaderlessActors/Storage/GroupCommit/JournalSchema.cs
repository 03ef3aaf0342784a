namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// The group-commit journal's tables and statements. Its table names differ from Akka.Persistence.Sql's
/// (<c>journal</c>, <c>snapshot</c>) so both can be told apart in one file; the column names follow theirs
/// (<c>persistence_id</c>, <c>sequence_nr</c>, <c>message</c>), so tools and tests that read one read the other alike.
/// </summary>
internal static class JournalSchema
{
    public const string EventsTable = "leaderless_events";
    public const string SnapshotsTable = "leaderless_snapshots";

    /// <summary>Run on every connection the journal opens; each statement is a no-op once the tables exist.</summary>
    public const string Create = $"""
        CREATE TABLE IF NOT EXISTS {EventsTable} (
            persistence_id TEXT NOT NULL,
            sequence_nr INTEGER NOT NULL,
            message BLOB NOT NULL,
            serializer_id INTEGER NOT NULL,
            serializer_manifest TEXT NOT NULL,
            event_manifest TEXT NOT NULL,
            writer_uuid TEXT NOT NULL,
            timestamp INTEGER NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)) WITHOUT ROWID;
        -- The highest sequence number each persistence id ever had: it must survive the deletion of its events.
        CREATE TABLE IF NOT EXISTS leaderless_highest_sequence_nr (
            persistence_id TEXT NOT NULL PRIMARY KEY,
            sequence_nr INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS {SnapshotsTable} (
            persistence_id TEXT NOT NULL,
            sequence_nr INTEGER NOT NULL,
            timestamp INTEGER NOT NULL,
            snapshot BLOB NOT NULL,
            serializer_id INTEGER NOT NULL,
            serializer_manifest TEXT NOT NULL,
            PRIMARY KEY (persistence_id, sequence_nr)) WITHOUT ROWID;
        """;

    public static readonly Statement InsertEvent = new(
        $"INSERT INTO {EventsTable} (persistence_id, sequence_nr, message, serializer_id, serializer_manifest, event_manifest, writer_uuid, timestamp) " +
        "VALUES ($pid, $seq, $message, $serializer, $serializer_manifest, $event_manifest, $writer, $timestamp)",
        "$pid", "$seq", "$message", "$serializer", "$serializer_manifest", "$event_manifest", "$writer", "$timestamp");

    public static readonly Statement ReplayEvents = new(
        "SELECT sequence_nr, message, serializer_id, serializer_manifest, event_manifest, writer_uuid, timestamp " +
        $"FROM {EventsTable} WHERE persistence_id = $pid AND sequence_nr BETWEEN $from AND $to ORDER BY sequence_nr LIMIT $max",
        "$pid", "$from", "$to", "$max");

    public static readonly Statement HighestSequenceNr = new(
        $"SELECT max(coalesce((SELECT max(sequence_nr) FROM {EventsTable} WHERE persistence_id = $pid), 0), " +
        "coalesce((SELECT sequence_nr FROM leaderless_highest_sequence_nr WHERE persistence_id = $pid), 0))",
        "$pid");

    /// <summary>Remembers the highest sequence number about to be deleted, so deleting never lowers the highest.</summary>
    public static readonly Statement KeepHighestBeforeDelete = new(
        "INSERT INTO leaderless_highest_sequence_nr (persistence_id, sequence_nr) " +
        $"SELECT $pid, highest FROM (SELECT max(sequence_nr) AS highest FROM {EventsTable} WHERE persistence_id = $pid AND sequence_nr <= $to) " +
        "WHERE highest IS NOT NULL " +
        "ON CONFLICT (persistence_id) DO UPDATE SET sequence_nr = max(sequence_nr, excluded.sequence_nr)",
        "$pid", "$to");

    public static readonly Statement DeleteEvents = new(
        $"DELETE FROM {EventsTable} WHERE persistence_id = $pid AND sequence_nr <= $to", "$pid", "$to");

    public static readonly Statement SaveSnapshot = new(
        $"INSERT OR REPLACE INTO {SnapshotsTable} (persistence_id, sequence_nr, timestamp, snapshot, serializer_id, serializer_manifest) " +
        "VALUES ($pid, $seq, $timestamp, $snapshot, $serializer, $serializer_manifest)",
        "$pid", "$seq", "$timestamp", "$snapshot", "$serializer", "$serializer_manifest");

    /// <summary>The newest snapshot within a selection: sequence numbers and timestamps (ticks) both inclusive.</summary>
    public static readonly Statement LoadSnapshot = new(
        $"SELECT sequence_nr, timestamp, snapshot, serializer_id, serializer_manifest FROM {SnapshotsTable} " +
        "WHERE persistence_id = $pid AND sequence_nr BETWEEN $min_seq AND $max_seq AND timestamp BETWEEN $min_time AND $max_time " +
        "ORDER BY sequence_nr DESC LIMIT 1",
        "$pid", "$min_seq", "$max_seq", "$min_time", "$max_time");

    public static readonly Statement DeleteSnapshots = new(
        $"DELETE FROM {SnapshotsTable} " +
        "WHERE persistence_id = $pid AND sequence_nr BETWEEN $min_seq AND $max_seq AND timestamp BETWEEN $min_time AND $max_time",
        "$pid", "$min_seq", "$max_seq", "$min_time", "$max_time");

    // Group-commit transactions, prepared once like the rest. Each write request runs inside a savepoint of the
    // batch's transaction, so a request that fails is undone alone and the others in the batch still commit.
    public static readonly Statement Begin = new("BEGIN IMMEDIATE");
    public static readonly Statement Commit = new("COMMIT");
    public static readonly Statement Savepoint = new("SAVEPOINT request");
    public static readonly Statement ReleaseSavepoint = new("RELEASE request");
    public static readonly Statement RollbackToSavepoint = new("ROLLBACK TO request");
}
