namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>
/// One SQLite file's writer and reader, shared by every plugin that uses the file (the node's journal and snapshot
/// store) so the file has exactly one writer in the process: SQLite takes one write transaction at a time anyway, and a
/// second writer would only wait for the lock and split the batches. Reads use a connection and thread of their own: in
/// WAL mode they see every committed write and never wait behind a write batch. The file's workers stop when its last
/// plugin releases it.
/// </summary>
internal sealed class SqliteJournalFile
{
    private static readonly Dictionary<string, SqliteJournalFile> Open = new();
    private int _users;

    private SqliteJournalFile(GroupCommitOptions options)
    {
        Options = options;
        var writeSetup = $"PRAGMA journal_mode=WAL;\nPRAGMA synchronous={options.Synchronous.ToString().ToUpperInvariant()};\n{JournalSchema.Create}";
        Writer = new SqliteWorker(new SqliteWorkerOptions("leaderless-sqlite-writer", options.ConnectionString, writeSetup,
            options.WriteQueueLimit, GroupCommitOptions.WriteQueueLimitKey, options.WriteBatchLimit), new GroupCommitRunner());
        Reader = new SqliteWorker(new SqliteWorkerOptions("leaderless-sqlite-reader", options.ConnectionString,
            $"PRAGMA journal_mode=WAL;\n{JournalSchema.Create}", options.WriteQueueLimit, GroupCommitOptions.WriteQueueLimitKey,
            options.WriteBatchLimit), new OneByOneRunner());
    }

    public GroupCommitOptions Options { get; }

    /// <summary>Commits requests in batches, one transaction each.</summary>
    public SqliteWorker Writer { get; }

    /// <summary>Answers reads one by one on a connection of its own.</summary>
    public SqliteWorker Reader { get; }

    /// <summary>The file's workers, started on first use; the options of the first user apply.</summary>
    public static SqliteJournalFile Acquire(GroupCommitOptions options)
    {
        lock (Open)
        {
            if (!Open.TryGetValue(options.ConnectionString, out var file))
                Open[options.ConnectionString] = file = new SqliteJournalFile(options);
            file._users++;
            return file;
        }
    }

    /// <summary>Gives the file back; the last user stops its workers (they finish what is queued first).</summary>
    public void Release()
    {
        lock (Open)
        {
            if (--_users > 0) return;
            Open.Remove(Options.ConnectionString);
        }
        Writer.Stop();
        Reader.Stop();
    }
}
