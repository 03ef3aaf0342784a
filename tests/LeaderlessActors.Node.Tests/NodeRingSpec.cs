using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>The ring over HTTP with real node processes: an operator removes a killed node, and a node the cluster downs
/// comes back by itself.</summary>
public class NodeRingSpec
{
    [Fact]
    public async Task POST_admin_ring_remove_takes_a_killed_node_out_of_every_ring_and_refuses_a_live_or_unknown_one()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        nodes.Kill(2);
        await nodes.AwaitUnreachableAsync(0, 1);

        using (var live = await nodes.Http[0].PostAsync($"/admin/ring/remove/127.0.0.1:{nodes.RemotePortOf(1)}", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, live.StatusCode);
            Assert.Equal("node_alive", (await Json.BodyAsync(live)).GetProperty("error").GetString());
        }
        using (var malformed = await nodes.Http[0].PostAsync("/admin/ring/remove/no-port-here", null))
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        using (var unknown = await nodes.Http[0].PostAsync("/admin/ring/remove/127.0.0.1:1", null))
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        // Killed but not downed (Akka has not given up on it yet): still an owner of the ring.
        Assert.NotNull(NodeCluster.StateOf(await nodes.RingAsync(1), nodes.AddressOf(2)));

        using (var removed = await nodes.Http[0].PostAsync($"/admin/ring/remove/127.0.0.1:{nodes.RemotePortOf(2)}", null))
        {
            Assert.Equal(HttpStatusCode.OK, removed.StatusCode);
            var members = (await Json.BodyAsync(removed)).GetProperty("members").EnumerateArray().Select(m => m.GetString()).ToArray();
            Assert.DoesNotContain(nodes.AddressOf(2), members);
        }
        foreach (var observer in new[] { 0, 1 })
            await nodes.EventuallyAsync(async () =>
            {
                var ring = await nodes.RingAsync(observer);
                return NodeCluster.StateOf(ring, nodes.AddressOf(2)) is null &&
                       ring.GetProperty("members").EnumerateArray().All(m => m.GetString() != nodes.AddressOf(2));
            }, TimeSpan.FromSeconds(30), $"node {observer}'s ring to drop the removed node");
        using var put = await nodes.Http[1].PutKeyAsync("after-removal", "v");
        Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
    }

    [Fact]
    public async Task A_node_that_the_cluster_downs_starts_a_new_incarnation_in_the_same_process_and_rejoins_by_itself()
    {
        // Downing 2 s after the cluster is stable, so a frozen node is downed and removed within seconds.
        await using var nodes = await NodeProcesses.StartAsync(3, _ => "akka.cluster.split-brain-resolver.stable-after = 2s");
        using (var put = await nodes.Http[0].PutKeyAsync("before-downing", "kept"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        nodes.Pause(2);
        await nodes.EventuallyAsync(async () => !await nodes.IsAkkaMemberAsync(0, 2) &&
                                                NodeCluster.StateOf(await nodes.RingAsync(0), nodes.AddressOf(2)) == "down",
            TimeSpan.FromSeconds(60), "node 2 to be downed, out of the Akka cluster and still an owner marked down");
        nodes.Resume(2);

        await nodes.EventuallyAsync(async () =>
                await nodes.IsAkkaMemberAsync(0, 2) && await nodes.IsAkkaMemberAsync(2, 0) &&
                NodeCluster.StateOf(await nodes.RingAsync(0), nodes.AddressOf(2)) == "owner",
            TimeSpan.FromSeconds(90), "node 2 to rejoin as an owner");
        Assert.False(nodes.HasExited(2));
        using var read = await nodes.Http[2].GetKeyAsync("before-downing");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("kept", await read.TextAsync());
    }
}
