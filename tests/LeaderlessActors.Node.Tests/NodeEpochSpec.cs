using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// kv679 on real node processes: a node that stops in order (SIGTERM) leaves each replica's clean-stop marker as its
/// journal's last event and keeps its replicas' epochs; a killed node cannot prove its journals complete and its replicas
/// take new epochs.
/// </summary>
public class NodeEpochSpec
{
    private const string Key = "epoch-key";

    [Fact]
    public async Task A_node_stopped_with_SIGTERM_keeps_its_replicas_epochs_and_a_killed_node_takes_new_ones()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        await PutThroughNode2Async(nodes, "before the stop");
        var first = await EpochOfNode2Async(nodes);

        Assert.Equal(0, await nodes.TerminateAsync(2));
        await nodes.RestartAsync(2);
        Assert.Equal(first, await EpochOfNode2Async(nodes));

        // Killed after a write: its journal no longer ends with the marker. (Killed with nothing written since the clean
        // start, it would rightly keep its epoch: it issued no version the marker does not cover.)
        await PutThroughNode2Async(nodes, "after the restart");
        nodes.Kill(2);
        await nodes.RestartAsync(2);
        Assert.NotEqual(first, await EpochOfNode2Async(nodes));
    }

    private static async Task PutThroughNode2Async(NodeProcesses nodes, string value)
    {
        using var put = await nodes.Http[2].PutKeyAsync(Key, value, query: "?w=all");
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    /// <summary>The epoch of node 2's replica of the key, as the key's inspection through node 2 shows it.</summary>
    private static async Task<string> EpochOfNode2Async(NodeProcesses nodes)
    {
        string? epoch = null;
        await nodes.EventuallyAsync(async () =>
        {
            using var response = await nodes.Http[2].GetAsync($"/kv/{Key}/replicas");
            if (response.StatusCode != HttpStatusCode.OK) return false;
            var body = await Json.BodyAsync(response);
            epoch = body.GetProperty("replicas").EnumerateArray()
                .Where(r => r.GetProperty("node").GetString() == nodes.AddressOf(2))
                .Select(r => r.GetProperty("replicaEpoch").GetString()).FirstOrDefault();
            return epoch is not null;
        }, TimeSpan.FromSeconds(30), "node 2's replica to answer an inspection");
        return epoch!;
    }
}
