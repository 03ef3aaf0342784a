using System.Text.RegularExpressions;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// A node whose join goes unanswered gives up after akka.cluster.shutdown-after-unsuccessful-join-seed-nodes and starts
/// a new incarnation in the same process instead of waiting on forever: after kill -9 restarts a seed was seen to
/// answer a new incarnation's InitJoin into a stale association for as long as it ran. Here the seed is simply down: the
/// node keeps its process, starts incarnation after incarnation, and joins with its data once the seed is back.
/// </summary>
public class NodeJoinRetrySpec
{
    private const string GaveUp = "could not join the cluster within";

    [Fact]
    public async Task A_node_whose_join_goes_unanswered_starts_a_new_incarnation_and_joins_once_a_seed_answers()
    {
        await using var nodes = await NodeProcesses.StartAsync(2,
            i => i == 1 ? "akka.cluster.shutdown-after-unsuccessful-join-seed-nodes = 3s" : null);
        using (var put = await nodes.Http[1].PutKeyAsync("kept", "v1", query: "?w=2"))
            Assert.True(put.IsSuccessStatusCode, await put.TextAsync());
        nodes.Kill(0);
        nodes.Kill(1);

        nodes.StartAgain(1); // its only seed, node 0, is down
        await nodes.EventuallyAsync(() => Task.FromResult(Regex.Count(nodes.LogOf(1), GaveUp) >= 2), TimeSpan.FromSeconds(60),
            "node 1 to give up joining twice, each time starting a new incarnation");
        Assert.False(nodes.HasExited(1), nodes.LogOf(1));

        nodes.StartAgain(0);
        await nodes.AwaitAllHealthyAsync();
        using var read = await nodes.Http[1].GetKeyAsync("kept", "?r=2", json: true);
        Assert.True(read.IsSuccessStatusCode, await read.TextAsync());
        Assert.Equal(["v1"], await Kv.ValuesOfAsync(read));
    }
}
