using System.Collections.Concurrent;
using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// Two owners are downed by Akka while their keys are updated at quorum, then restart with their old versions. When
/// downing moved the ring, the returning nodes voted again at once with those versions: 3 of 100 keys read stale.
/// </summary>
public class NodeStaleReadSpec
{
    private const int Keys = 60;
    private static readonly int[] Victims = [3, 4];
    private static readonly int[] Survivors = [0, 1, 2];

    [LongNodeFact("about 1-2.5 minutes of 5 node processes; the in-process HandoffSpec checks the same property in CI")]
    public async Task Two_owners_downed_while_their_keys_are_updated_at_quorum_never_serve_the_old_value_at_quorum_after_they_restart()
    {
        await using var nodes = await NodeProcesses.StartAsync(5, _ => NodeCluster.QuickDowning);
        var keys = Enumerable.Range(0, Keys).Select(i => $"stale-{i}").ToArray();
        // At all: every owner, the victims included, holds v1 when they go down.
        for (var i = 0; i < keys.Length; i++)
        {
            using var put = await nodes.Http[i % 5].PutKeyAsync(keys[i], $"v1 {keys[i]}", query: "?w=all");
            Assert.True(put.StatusCode == HttpStatusCode.NoContent, $"PUT {keys[i]} v1: {(int)put.StatusCode} {await put.TextAsync()}");
        }
        var owners = await nodes.OwnersAsync(0);

        foreach (var victim in Victims) nodes.Kill(victim);
        foreach (var victim in Victims) await nodes.AwaitDownedAsync(victim, Survivors);

        var updated = new List<string>();
        var bothDown = 0;
        for (var i = 0; i < keys.Length; i++)
        {
            var via = nodes.Http[Survivors[i % Survivors.Length]];
            var partition = await nodes.PartitionOfAsync(0, keys[i]);
            var downOwners = Victims.Count(v => owners[partition].Contains(nodes.AddressOf(v)));
            if (downOwners == 2)
            {
                // One owner left: a strict quorum cannot be met, and the key keeps v1 on all its owners.
                bothDown++;
                continue;
            }
            using var read = await via.GetKeyAsync(keys[i], "?r=quorum");
            Assert.True(read.StatusCode == HttpStatusCode.OK, $"GET {keys[i]}: {(int)read.StatusCode} {await read.TextAsync()}");
            using var put = await via.PutKeyAsync(keys[i], $"v2 {keys[i]}", Kv.ContextOf(read), "?w=quorum");
            Assert.True(put.StatusCode == HttpStatusCode.NoContent, $"PUT {keys[i]} v2 with {downOwners} owner(s) down: {(int)put.StatusCode} {await put.TextAsync()}");
            updated.Add(keys[i]);
        }
        Assert.True(updated.Count >= Keys / 2, $"Only {updated.Count} keys updated ({bothDown} with both victims as owners).");

        foreach (var victim in Victims) nodes.StartAgain(victim);
        // Read at once and again and again, through every node, while the victims return and after they serve.
        var stale = new ConcurrentBag<string>();
        var served = 0;
        var passesSinceHealthy = 0;
        await nodes.EventuallyAsync(async () =>
        {
            var healthy = await AllServeAsync(nodes);
            await Parallel.ForEachAsync(updated.SelectMany(key => Enumerable.Range(0, 5).Select(node => (key, node))),
                new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (read, _) =>
                {
                    try
                    {
                        var values = await nodes.Http[read.node].ValuesAsync(read.key, "?r=quorum");
                        if (values.Length > 0) Interlocked.Increment(ref served);
                        if (values.Contains($"v1 {read.key}")) stale.Add($"{read.key} via node {read.node}: [{string.Join(", ", values)}]");
                    }
                    catch (HttpRequestException) { } // a victim that does not listen yet
                });
            return healthy && ++passesSinceHealthy >= 3;
        }, TimeSpan.FromSeconds(90), "three passes of quorum reads after both victims serve again");

        Assert.True(stale.IsEmpty, $"{stale.Count} quorum reads (of {served} answered) returned v1: {string.Join("; ", stale.Take(10))}");
    }

    private static async Task<bool> AllServeAsync(NodeProcesses nodes)
    {
        for (var i = 0; i < nodes.Count; i++)
        {
            try
            {
                using var health = await nodes.Http[i].GetAsync("/health");
                if (health.StatusCode != HttpStatusCode.OK) return false;
            }
            catch (HttpRequestException) { return false; }
        }
        return true;
    }
}
