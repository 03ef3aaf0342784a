using LeaderlessActors.Storage.GroupCommit;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LeaderlessActors.Tests.Storage.GroupCommit;

/// <summary>The writer thread: one transaction per drained batch, a request undone alone, a bounded queue.</summary>
public sealed class SqliteWorkerSpec : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private readonly TestDatabase _database = new();
    private readonly SqliteWorker _writer;
    private readonly ManualResetEventSlim _release = new();

    public SqliteWorkerSpec() => _writer = new SqliteWorker(
        new SqliteWorkerOptions("spec-writer", _database.ConnectionString, $"PRAGMA journal_mode=WAL;\n{JournalSchema.Create}",
            QueueLimit: 3, "spec.write-queue-limit", BatchLimit: 100), new GroupCommitRunner());

    [Fact]
    public async Task Requests_queued_together_commit_together_and_a_failing_one_is_undone_alone()
    {
        var blocker = HoldTheWriter();
        var good = _writer.Enqueue(s => Insert(s, "good", 1));
        var bad = _writer.Enqueue(s =>
        {
            Insert(s, "bad", 1);
            return Insert(s, "good", 1); // collides with the request before it, in the same transaction
        });
        var alsoGood = _writer.Enqueue(s => Insert(s, "also-good", 1));
        _release.Set();
        await blocker.WaitAsync(Patience);

        await good.WaitAsync(Patience);
        await alsoGood.WaitAsync(Patience);
        await Assert.ThrowsAsync<SqliteException>(() => bad.WaitAsync(Patience));
        Assert.Equal(1, _database.Count(JournalSchema.EventsTable, "persistence_id = 'good'"));
        Assert.Equal(1, _database.Count(JournalSchema.EventsTable, "persistence_id = 'also-good'"));
        Assert.Equal(0, _database.Count(JournalSchema.EventsTable, "persistence_id = 'bad'")); // its first row was undone too
    }

    [Fact]
    public async Task A_request_past_the_queue_limit_fails_at_once_naming_the_setting()
    {
        var blocker = HoldTheWriter();
        var queued = Enumerable.Range(1, 3).Select(i => _writer.Enqueue(s => Insert(s, "a", i))).ToList();

        var refused = await Assert.ThrowsAsync<SqliteQueueFullException>(() => _writer.Enqueue(s => Insert(s, "a", 4)));
        Assert.Equal("spec.write-queue-limit", refused.Key);
        Assert.Contains("spec.write-queue-limit", refused.Message);

        _release.Set();
        await blocker.WaitAsync(Patience);
        await Task.WhenAll(queued).WaitAsync(Patience);
        Assert.Equal(3, _database.Count(JournalSchema.EventsTable));
    }

    [Fact]
    public async Task A_batch_that_cannot_commit_fails_every_request_leaves_nothing_and_the_writer_recovers()
    {
        await _writer.Enqueue(s => Insert(s, "before", 1)).WaitAsync(Patience); // tables exist
        Task<int> first, second;
        using (var holder = new SqliteConnection($"Data Source={_database.File};Pooling=False"))
        {
            holder.Open();
            using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE";
            begin.ExecuteNonQuery(); // another process holds the file's write lock

            // The writer waits 1 s (the connection's Default Timeout) for the lock, then fails the batch.
            first = _writer.Enqueue(s => Insert(s, "locked", 1));
            second = _writer.Enqueue(s => Insert(s, "locked", 2));
            await Assert.ThrowsAsync<SqliteException>(() => first.WaitAsync(Patience));
            await Assert.ThrowsAsync<SqliteException>(() => second.WaitAsync(Patience));
        }

        await _writer.Enqueue(s => Insert(s, "after", 1)).WaitAsync(Patience);
        Assert.Equal(0, _database.Count(JournalSchema.EventsTable, "persistence_id = 'locked'"));
        Assert.Equal(1, _database.Count(JournalSchema.EventsTable, "persistence_id = 'after'"));
    }

    /// <summary>Keeps the writer thread busy until <see cref="_release"/> is set, so what is queued meanwhile is
    /// drained as one batch.</summary>
    private Task HoldTheWriter()
    {
        var started = new ManualResetEventSlim();
        var blocker = _writer.Enqueue(_ =>
        {
            started.Set();
            return _release.Wait(Patience);
        });
        Assert.True(started.Wait(Patience));
        return blocker;
    }

    private static int Insert(PreparedStatements statements, string persistenceId, long sequenceNr) =>
        statements.Execute(JournalSchema.InsertEvent, persistenceId, sequenceNr, new byte[] { 1 }, 0, "", "", "spec", 0L);

    public void Dispose()
    {
        _release.Set();
        _writer.Stop();
        _database.Dispose();
    }
}
