using LeaderlessActors.Storage.GroupCommit;
using Xunit;

namespace LeaderlessActors.Tests.Storage.GroupCommit;

/// <summary>One file's writer and reader: shared by its plugins, and set up as the settings say.</summary>
public sealed class SqliteJournalFileSpec : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly Statement Synchronous = new("PRAGMA synchronous");
    private static readonly Statement JournalMode = new("PRAGMA journal_mode");
    private readonly TestDatabase _database = new();

    [Theory]
    [InlineData(SqliteSynchronous.Full, 2L)]
    [InlineData(SqliteSynchronous.Normal, 1L)]
    public async Task The_writer_commits_in_wal_mode_with_the_chosen_synchronous_level(SqliteSynchronous chosen, long pragmaValue)
    {
        var file = SqliteJournalFile.Acquire(new GroupCommitOptions(_database.ConnectionString, chosen, 10, 10));
        try
        {
            Assert.Equal(pragmaValue, await file.Writer.Enqueue(s => (long)s.Scalar(Synchronous)!).WaitAsync(Patience));
            Assert.Equal("wal", await file.Reader.Enqueue(s => (string)s.Scalar(JournalMode)!).WaitAsync(Patience));
        }
        finally
        {
            file.Release();
        }
    }

    [Fact]
    public void Plugins_of_one_file_share_its_workers_until_the_last_releases_it()
    {
        var options = new GroupCommitOptions(_database.ConnectionString, SqliteSynchronous.Full, 10, 10);
        var journal = SqliteJournalFile.Acquire(options);
        var snapshots = SqliteJournalFile.Acquire(options);
        Assert.Same(journal, snapshots);

        journal.Release();
        var again = SqliteJournalFile.Acquire(options);
        Assert.Same(snapshots, again); // still held by the snapshot store
        again.Release();
        snapshots.Release();

        var fresh = SqliteJournalFile.Acquire(options);
        Assert.NotSame(journal, fresh); // the last release stopped the old workers
        fresh.Release();
    }

    public void Dispose() => _database.Dispose();
}
