using System.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

public class StorageFaultSpec
{
    // Long enough that the journal's own failure (after a 1 s busy wait) always arrives before the request times out.
    private static readonly WriteOptions SlowStorage = new() { Consistency = Consistency.All, Timeout = TimeSpan.FromSeconds(30) };

    [Fact]
    public async Task A_write_whose_journal_is_locked_is_never_acknowledged_and_the_replica_recovers_after()
    {
        var lockedDb = Path.Combine(Path.GetTempPath(), $"leaderless-locked-{Guid.NewGuid():N}.db");
        await using var cluster = await TestCluster.StartAsync(3, nodeConfig: i => i != 0 ? "" : $"""
            leaderless.storage.sqlite.connection-string = "Data Source={lockedDb};Default Timeout=1"
            """);
        var node0 = cluster.AddressOf(0).ToString();
        var partitioner = new Partitioning.KeyPartitioner(cluster.Store(0).Settings.PartitionCount);
        var keys = Enumerable.Range(0, 10_000).Select(i => $"key-{i}")
            .Where(k => partitioner.PartitionOf(k) == partitioner.PartitionOf("locked")).Take(2).ToArray();
        // The replica of the key's partition is running and its journal's tables exist before the fault.
        await cluster.Store(0).PutAsync(keys[0], "x"u8.ToArray());

        WriteResult? acknowledged = null;
        using (var holder = new SqliteConnection($"Data Source={lockedDb}"))
        {
            holder.Open();
            using (var begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                begin.ExecuteNonQuery();
            }

            // Node 0 coordinates on its own replica, whose journal cannot write: the write must not be acknowledged.
            var e = await Assert.ThrowsAnyAsync<QuorumNotReachedException>(async () =>
                acknowledged = await cluster.Store(0).PutAsync("locked", "v"u8.ToArray(), options: SlowStorage));
            Assert.DoesNotContain(node0, e.AnsweredReplicas);
            Assert.Contains(node0, e.MissingReplicas);
            Assert.True(e.Reason.Contains("journal"), e.Message);

            using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK;";
            rollback.ExecuteNonQuery();
        }
        Assert.Null(acknowledged);

        // The failed replica was stopped; the next command starts it again from its journal and it serves as before.
        var written = await cluster.Store(0).PutAsync(keys[1], "ok"u8.ToArray(), options: new WriteOptions { Consistency = Consistency.All });
        Assert.Contains(node0, written.StoredOn);
        var read = await cluster.Store(0).GetAsync(keys[0], new ReadOptions { Consistency = Consistency.All });
        Assert.Equal("x", Encoding.UTF8.GetString(Assert.Single(read.Values)));
        SqliteConnection.ClearAllPools();
        File.Delete(lockedDb);
    }

    [Fact]
    public async Task A_replica_that_cannot_recover_from_its_storage_fails_the_commands_it_held_instead_of_dropping_them()
    {
        var lockedDb = Path.Combine(Path.GetTempPath(), $"leaderless-locked-{Guid.NewGuid():N}.db");
        await using var cluster = await TestCluster.StartAsync(3, nodeConfig: i => i != 0 ? "" : $"""
            leaderless.storage.sqlite.connection-string = "Data Source={lockedDb};Default Timeout=1"
            """);
        var node0 = cluster.AddressOf(0).ToString();
        var partitioner = new Partitioning.KeyPartitioner(cluster.Store(0).Settings.PartitionCount);
        var other = Enumerable.Range(0, 10_000).Select(i => $"key-{i}").First(k => partitioner.PartitionOf(k) != partitioner.PartitionOf("cold"));
        await cluster.Store(0).PutAsync(other, "x"u8.ToArray()); // tables exist; the partition of "cold" has not started

        using var holder = new SqliteConnection($"Data Source={lockedDb}");
        holder.Open();
        using (var begin = holder.CreateCommand())
        {
            begin.CommandText = "BEGIN EXCLUSIVE;";
            begin.ExecuteNonQuery();
        }
        var e = await Assert.ThrowsAnyAsync<QuorumNotReachedException>(() =>
            cluster.Store(0).PutAsync("cold", "v"u8.ToArray(), options: SlowStorage));

        Assert.False(e.IsOutcomeUnknown); // refused before anything was written
        Assert.Contains(node0, e.MissingReplicas);
        Assert.True(e.Reason.Contains("could not recover"), e.Message);
        holder.Close();
        SqliteConnection.ClearAllPools();
        File.Delete(lockedDb);
    }
}
