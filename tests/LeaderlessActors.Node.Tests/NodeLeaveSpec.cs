using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

public class NodeLeaveSpec
{
    [Fact]
    public async Task SIGTERM_makes_a_node_leave_the_cluster_and_exit_0_so_the_others_drop_it_from_their_ring()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);

        Assert.Equal(0, await nodes.TerminateAsync(2));

        // A graceful leave removes the member: it is neither in the ring nor unreachable.
        await nodes.EventuallyAsync(async () =>
        {
            using var response = await nodes.Http[0].GetAsync("/cluster");
            var body = await Json.BodyAsync(response);
            var ring = body.GetProperty("ring").GetProperty("members").EnumerateArray().Select(m => m.GetString()).ToArray();
            return ring.Length == 2 && !ring.Contains(nodes.AddressOf(2)) &&
                   body.GetProperty("members").EnumerateArray().All(m => m.GetProperty("reachable").GetBoolean());
        }, TimeSpan.FromSeconds(30), "node 2 to be removed from node 0's ring");
        using var health = await nodes.Http[0].GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }
}
