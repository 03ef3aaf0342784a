using System.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class StorageFaultSpec
{
    // Long enough that the journal's own failure (after a 1 s busy wait) always arrives before the request times out.
    private static readonly WriteOptions SlowStorage = new() { Consistency = Consistency.All, Timeout = TimeSpan.FromSeconds(30) };

    [Theory]
    [InlineData("group-commit", false)]
    [InlineData("akka-persistence-sql", false)]
    [InlineData("group-commit", true)]
    public async Task A_write_whose_journal_is_locked_is_never_acknowledged_and_the_replica_recovers_after(string journal, bool fanOutBeforeDurable)
    {
        await using var fault = await LockableNode.StartAsync(journal, fanOutBeforeDurable);
        var keys = fault.KeysInPartitionOf("locked").Take(2).ToArray();
        // The replica of the key's partition is running and its journal's tables exist before the fault.
        await fault.Cluster.Store(0).PutAsync(keys[0], "x"u8.ToArray());

        WriteResult? acknowledged = null;
        using (fault.LockJournal())
        {
            // Node 0 coordinates on its own replica, whose journal cannot write: the write must not be acknowledged.
            var e = await Assert.ThrowsAnyAsync<QuorumNotReachedException>(async () =>
                acknowledged = await fault.Cluster.Store(0).PutAsync("locked", "v"u8.ToArray(), options: SlowStorage));
            // Told early, the others stored the write before node 0's journal failed.
            if (fanOutBeforeDurable) Assert.True(e.IsOutcomeUnknown);
            Assert.DoesNotContain(fault.Node0, e.AnsweredReplicas);
            Assert.Contains(fault.Node0, e.MissingReplicas);
            Assert.True(e.Reason.Contains("journal"), e.Message);
        }
        Assert.Null(acknowledged);

        // The failed replica was stopped; the next command starts it again from its journal and it serves as before.
        var written = await fault.Cluster.Store(0).PutAsync(keys[1], "ok"u8.ToArray(), options: new WriteOptions { Consistency = Consistency.All });
        Assert.Contains(fault.Node0, written.StoredOn);
        // Told early, the others stored the write of unknown outcome (before they stored keys[1], in the same partition),
        // so it shows beside the value it did not see; node 0's restarted replica takes it back without counting it as
        // lost history (which would cost its vote until a resync), so a read of all three answers. Otherwise nobody
        // stored it.
        var read = await fault.Cluster.Store(0).GetAsync(keys[0], new ReadOptions { Consistency = Consistency.All });
        Assert.Equal(fanOutBeforeDurable ? ["v", "x"] : ["x"], read.Values.Select(Encoding.UTF8.GetString).Order());
    }

    [Theory]
    [InlineData("group-commit")]
    [InlineData("akka-persistence-sql")]
    public async Task A_replica_that_cannot_recover_from_its_storage_fails_the_commands_it_held_instead_of_dropping_them(string journal)
    {
        await using var fault = await LockableNode.StartAsync(journal);
        var cold = fault.KeysInPartitionOf("cold").First();
        var other = Enumerable.Range(0, 10_000).Select(i => $"key-{i}").Except(fault.KeysInPartitionOf(cold)).First();
        await fault.Cluster.Store(0).PutAsync(other, "x"u8.ToArray()); // tables exist; the partition of "cold" has not started

        using (fault.BreakRecovery())
        {
            var e = await Assert.ThrowsAnyAsync<QuorumNotReachedException>(() =>
                fault.Cluster.Store(0).PutAsync(cold, "v"u8.ToArray(), options: SlowStorage));

            Assert.False(e.IsOutcomeUnknown); // refused before anything was written
            Assert.Contains(fault.Node0, e.MissingReplicas);
            Assert.True(e.Reason.Contains("could not recover"), e.Message);
        }
    }

    /// <summary>A 3-node cluster whose node 0 keeps its journal (of the given kind) in a SQLite file the spec can lock, as
    /// another process holding the database would; node 0's journal then waits 1 s for the lock and fails.</summary>
    private sealed class LockableNode(string journal) : IAsyncDisposable
    {
        private readonly string _database = Path.Combine(Path.GetTempPath(), $"leaderless-locked-{Guid.NewGuid():N}.db");
        private Partitioning.KeyPartitioner _partitioner = null!;

        public TestCluster Cluster { get; private set; } = null!;

        public string Node0 => Cluster.AddressOf(0).ToString();

        public static async Task<LockableNode> StartAsync(string journal, bool fanOutBeforeDurable = false)
        {
            var node = new LockableNode(journal);
            node.Cluster = await TestCluster.StartAsync(3, nodeConfig: i => i != 0 ? "" : $"""
                leaderless.storage.sqlite.connection-string = "Data Source={node._database};Default Timeout=1"
                leaderless.storage.sqlite.journal = {journal}
                leaderless.storage.fan-out-before-durable = {(fanOutBeforeDurable ? "on" : "off")}
                """);
            node._partitioner = new Partitioning.KeyPartitioner(node.Cluster.Store(0).Settings.PartitionCount);
            return node;
        }

        /// <summary>Keys in the same partition as <paramref name="key"/>, so they reach the same replica.</summary>
        public IEnumerable<string> KeysInPartitionOf(string key) =>
            Enumerable.Range(0, 10_000).Select(i => $"key-{i}").Prepend(key)
                .Where(k => _partitioner.PartitionOf(k) == _partitioner.PartitionOf(key));

        /// <summary>Holds an exclusive transaction on node 0's database until disposed.</summary>
        public IDisposable LockJournal()
        {
            // Unpooled: closing it must really end the transaction, not park the connection (and the lock) in a pool.
            var holder = new SqliteConnection($"Data Source={_database};Pooling=False");
            holder.Open();
            using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
            return holder; // closing the connection rolls the transaction back
        }

        /// <summary>Makes node 0's journal fail to read until disposed. Akka.Persistence.Sql reads in transactions that
        /// need the write lock, so a held lock does it. The group-commit journal reads on a connection of its own, which
        /// in WAL mode never waits for the write lock (its replicas recover while another process writes): for it the
        /// events table is moved away instead, as a damaged or foreign schema would leave it.</summary>
        public IDisposable BreakRecovery() => journal == "akka-persistence-sql" ? LockJournal() : HideEventsTable();

        private IDisposable HideEventsTable()
        {
            RenameTable("leaderless_events", "leaderless_events_hidden");
            return new Undo(() => RenameTable("leaderless_events_hidden", "leaderless_events"));
        }

        private void RenameTable(string from, string to)
        {
            using var connection = new SqliteConnection($"Data Source={_database};Pooling=False");
            connection.Open();
            using var rename = connection.CreateCommand();
            rename.CommandText = $"ALTER TABLE {from} RENAME TO {to}";
            rename.ExecuteNonQuery();
        }

        private sealed class Undo(Action undo) : IDisposable
        {
            public void Dispose() => undo();
        }

        public async ValueTask DisposeAsync()
        {
            await Cluster.DisposeAsync();
            SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm" }) File.Delete(_database + suffix);
        }
    }
}
