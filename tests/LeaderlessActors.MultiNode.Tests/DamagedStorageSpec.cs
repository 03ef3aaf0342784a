using System.Text;
using Microsoft.Data.Sqlite;
using Xunit;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// A node whose SQLite journal is damaged on disk while it is down: its replicas read back what they can, start over as
/// new epochs, accept writes at once, answer reads without a vote while a peer that may hold their lost writes is out
/// of reach, and vote again once a resync with every peer brought the writes back. No acknowledged write is lost, and
/// no read answers "not found" for one.
/// </summary>
public class DamagedStorageSpec
{
    private const int Writer = 0, Damaged = 1, Reader = 2;

    [Fact]
    public async Task A_node_whose_journal_is_damaged_starts_over_needs_repair_and_is_repaired_from_its_peers()
    {
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.repair.resync-retry-interval = 300ms");
        // The writes land on the writer and the damaged node only: the reader is cut off while they are made.
        await cluster.IsolateAsync(Reader);
        var keys = Enumerable.Range(0, 20).Select(i => $"key-{i}").ToArray();
        foreach (var key in keys) await cluster.Store(Writer).PutAsync(key, Encoding.UTF8.GetBytes(key));
        await cluster.RejoinAsync(Reader);
        var damagedNode = cluster.AddressOf(Damaged).ToString();
        var epochsBefore = new Dictionary<string, string>();
        foreach (var key in keys)
        {
            var own = (await cluster.Store(Reader).InspectAsync(key)).Replicas.Single(r => r.Node == damagedNode);
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single(own.Values)));
            epochsBefore[key] = own.ReplicaEpoch;
        }

        await cluster.CrashAsync(Damaged);
        DamageEveryJournalEvent(cluster, Damaged);
        await cluster.RestartAsync(Damaged);
        // The only other holder of the writes goes out of reach: the damaged node cannot be repaired yet.
        await cluster.IsolateAsync(Writer);

        foreach (var key in keys)
        {
            // Two replicas answer (the damaged one and the reader's), but only one may vote: a typed failure, never "not found".
            var error = await Assert.ThrowsAsync<QuorumNotReachedException>(() => cluster.Store(Reader).GetAsync(key));
            Assert.True(error.Message.Contains("need repair"), error.Message);
            var own = (await cluster.Store(Reader).InspectAsync(key)).Replicas.Single(r => r.Node == damagedNode);
            Assert.True(own.NeedsRepair);
            Assert.Contains("unreadable", own.RepairReason);
            Assert.NotEqual(epochsBefore[key], own.ReplicaEpoch); // a new epoch: no dot of the lost history is issued again
        }
        // Writes are accepted at once: the damaged replica stores them durably and its acknowledgement counts.
        var during = await cluster.Store(Reader).PutAsync("written-during-repair", [42]);
        Assert.Contains(damagedNode, during.StoredOn);

        await cluster.RejoinAsync(Writer);
        foreach (var key in keys)
        {
            await TestCluster.EventuallyAsync(async () =>
                !(await cluster.Store(Reader).InspectAsync(key)).Replicas.Single(r => r.Node == damagedNode).NeedsRepair,
                TimeSpan.FromSeconds(30), $"the damaged replica of {key} to be repaired");
            var own = (await cluster.Store(Reader).InspectAsync(key)).Replicas.Single(r => r.Node == damagedNode);
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single(own.Values))); // brought back by the resync, not a read
            var read = await cluster.Store(Damaged).GetAsync(key);
            Assert.Equal(key, Encoding.UTF8.GetString(Assert.Single(read.Values)));
        }
        Assert.Equal([42], Assert.Single((await cluster.Store(Writer).GetAsync("written-during-repair")).Values));
    }

    [Fact]
    public async Task A_node_that_lost_its_whole_storage_is_told_by_its_peers_and_does_not_vote_before_it_is_repaired()
    {
        await using var cluster = await TestCluster.StartAsync(3, "leaderless.repair.resync-retry-interval = 300ms");
        // Partition 0's replicas start with the node (to open storage), and would sync before the cut below: skip it.
        var partitioner = new Partitioning.KeyPartitioner(cluster.Store(0).Settings.PartitionCount);
        var keys = Enumerable.Range(0, 40).Select(i => $"key-{i}").Where(k => partitioner.PartitionOf(k) != 0).Take(20).ToArray();
        // First versions everywhere: every replica starts, syncs, and so learns the epochs of its peers.
        foreach (var key in keys) await cluster.Store(Writer).PutAsync(key, "v0"u8.ToArray());
        // Peers know only the replicas that finished a sync with them: wait for those syncs before anything is cut.
        foreach (var key in keys)
            await TestCluster.EventuallyAsync(async () =>
                    (await cluster.Store(Writer).InspectAsync(key)).Replicas is { Count: 3 } replicas && replicas.All(r => !r.NeedsRepair),
                TimeSpan.FromSeconds(30), $"every replica of {key} to have synced with its peers");
        // Newer versions on the writer and the node that will lose its storage only.
        await cluster.IsolateAsync(Reader);
        foreach (var key in keys)
        {
            var current = await cluster.Store(Writer).GetAsync(key);
            await cluster.Store(Writer).PutAsync(key, "v1"u8.ToArray(), current.Context);
        }
        await cluster.RejoinAsync(Reader);

        await cluster.CrashAsync(Damaged);
        var address = cluster.AddressOf(Damaged);
        SqliteConnection.ClearAllPools(); // a pooled connection would keep the deleted file alive for the next start
        foreach (var file in Directory.GetFiles(Path.Combine(cluster.DataRoot, $"node{Damaged}"))) File.Delete(file);
        await cluster.RestartAsync(Damaged);
        await cluster.IsolateAsync(Writer);

        var damagedNode = address.ToString();
        foreach (var key in keys)
        {
            // The reader holds v0 only; counting the empty replica would answer v0, losing the acknowledged v1.
            var error = await Assert.ThrowsAsync<QuorumNotReachedException>(() => cluster.Store(Reader).GetAsync(key));
            Assert.True(error.Message.Contains("need repair"), error.Message);
            var own = (await cluster.Store(Reader).InspectAsync(key)).Replicas.Single(r => r.Node == damagedNode);
            Assert.True(own.NeedsRepair);
            Assert.Contains("storage of the partition was lost", own.RepairReason);
        }

        await cluster.RejoinAsync(Writer);
        foreach (var key in keys)
        {
            await TestCluster.EventuallyAsync(async () =>
                    !(await cluster.Store(Reader).InspectAsync(key)).Replicas.Single(r => r.Node == damagedNode).NeedsRepair,
                TimeSpan.FromSeconds(30), $"the replica of {key} on the node that lost its storage to be repaired");
            Assert.Equal("v1", Encoding.UTF8.GetString(Assert.Single((await cluster.Store(Damaged).GetAsync(key)).Values)));
        }
    }

    /// <summary>Overwrites the payload of every journal event in the node's SQLite file, as disk damage would, in the
    /// events table of whichever SQLite journal the node uses (both name the columns alike).</summary>
    private static void DamageEveryJournalEvent(TestCluster cluster, int index)
    {
        var address = cluster.AddressOf(index);
        var file = Path.Combine(cluster.DataRoot, $"node{index}", $"node-{address.Host}-{address.Port}.db");
        Assert.True(File.Exists(file), $"{file} should exist");
        using (var connection = new SqliteConnection($"Data Source={file};Pooling=False"))
        {
            connection.Open();
            using var tables = connection.CreateCommand();
            tables.CommandText = "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('journal', 'leaderless_events')";
            var table = Assert.IsType<string>(tables.ExecuteScalar());
            using var damage = connection.CreateCommand();
            damage.CommandText = $"UPDATE {table} SET message = X'00010203' WHERE persistence_id LIKE 'leaderless-replica-%'";
            Assert.True(damage.ExecuteNonQuery() > 0);
        }
        SqliteConnection.ClearAllPools();
    }
}
