namespace LeaderlessActors.Storage.GroupCommit;

/// <summary>A journal or snapshot write refused because the writer of the node's SQLite file is that far behind: the
/// replica reports a storage failure instead of the queue growing without bound.</summary>
internal sealed class SqliteQueueFullException(string key, int limit)
    : Exception($"the SQLite journal's write queue is full: {limit} writes are waiting for the disk ({key})")
{
    /// <summary>The setting that bounds the queue.</summary>
    public string Key { get; } = key;
}
