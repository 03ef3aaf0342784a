using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Owners killed for longer than the split-brain resolver's stable-after, so that Akka downs them, on 5 node processes.
/// The ring must not move (a downing is no intent), and what the owners missed must reach them when they return.
/// </summary>
public class NodeOwnerDownSpec
{
    [LongNodeFact("about 1 minute of 5 node processes; the in-process RingMembershipSpec and ConvergenceSpec check the same " +
                  "properties in CI")]
    public async Task An_owner_downed_by_akka_keeps_its_partitions_and_within_30_s_of_its_restart_holds_every_write_made_meanwhile_without_reads()
    {
        await using var nodes = await NodeProcesses.StartAsync(5, _ => NodeCluster.QuickDowning);
        const int victim = 4;
        int[] survivors = [0, 1, 2, 3];
        var owners = await nodes.OwnersAsync(0);

        var killed = System.Diagnostics.Stopwatch.StartNew();
        nodes.Kill(victim);
        // From the moment every survivor routes around the victim. Before that (the failure detector's 3 s), a write
        // whose coordinating replica is the victim waits out the request timeout and answers 504 outcome_unknown.
        foreach (var survivor in survivors) await nodes.AwaitUnreachableAsync(survivor, 1);
        var writes = QuorumWriteStream.Start(nodes, "while-down", survivors, clientsPerNode: 1);
        var downedAfter = TimeSpan.Zero;
        await using (writes)
        {
            await nodes.AwaitDownedAsync(victim, survivors);
            downedAfter = killed.Elapsed;
            var atDowning = writes.Count;
            await nodes.EventuallyAsync(() => Task.FromResult(writes.Count >= atDowning + 100), TimeSpan.FromSeconds(60),
                "100 acknowledged writes after the downing");
        }
        // Strict quorums over the owners: with one owner of three down every write has two.
        Assert.True(writes.Failures == "", $"Quorum writes failed while an owner was down: {writes.Failures}; downed {downedAfter} after the kill");
        foreach (var survivor in survivors)
        {
            Assert.Equal(owners, await nodes.OwnersAsync(survivor));
            Assert.Equal("down", NodeCluster.StateOf(await nodes.RingAsync(survivor), nodes.AddressOf(victim)));
        }
        Assert.True(await HintsPendingAsync(nodes, survivors) > 0, "No hint was kept for the downed owner.");

        var missed = new HashSet<string>();
        foreach (var key in writes.Keys)
            if (owners[await nodes.PartitionOfAsync(0, key)].Contains(nodes.AddressOf(victim))) missed.Add(key);
        Assert.NotEmpty(missed);

        // No client reads from here on: only /kv/{key}/replicas, which shows each replica's own state and repairs nothing.
        var total = missed.Count;
        nodes.StartAgain(victim);
        double pending = 0;
        await nodes.EventuallyAsync(async () =>
        {
            if ((pending = await HintsPendingAsync(nodes, survivors)) > 0) return false;
            foreach (var key in missed.ToArray())
                if ((await nodes.ReplicaValuesAsync(0, key, victim))?.Contains(key) == true) missed.Remove(key);
            return missed.Count == 0;
        }, TimeSpan.FromSeconds(30), $"the restarted owner to hold every one of the {total} writes it missed, with no hint pending",
            () => $"{missed.Count} still not on node {victim} (e.g. {string.Join(", ", missed.Take(5))}); hints pending: {pending}");
    }

    private static async Task<double> HintsPendingAsync(NodeProcesses nodes, IEnumerable<int> holders)
    {
        var pending = 0.0;
        foreach (var holder in holders) pending += await nodes.MetricAsync(holder, "leaderless_hints_pending");
        return pending;
    }
}
