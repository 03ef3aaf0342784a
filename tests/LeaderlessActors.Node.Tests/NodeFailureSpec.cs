using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>A node process is killed with SIGKILL; each spec has a cluster of its own.</summary>
public class NodeFailureSpec
{
    [Fact]
    public async Task After_a_node_is_killed_quorum_operations_succeed_and_all_fails_with_503_and_the_counts()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        var http = nodes.Http;
        using (var put = await http[0].PutKeyAsync("survivor", "before", query: "?w=all")) Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        nodes.Kill(2);
        await nodes.AwaitUnreachableAsync(observer: 0, unreachable: 1);
        await nodes.AwaitUnreachableAsync(observer: 1, unreachable: 1);

        using var read = await http[1].GetKeyAsync("survivor", "?r=quorum");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal("before", await read.TextAsync());
        using (var put = await http[0].PutKeyAsync("survivor", "after", Kv.ContextOf(read), "?w=quorum"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        using var reread = await http[1].GetKeyAsync("survivor", "?r=quorum");
        Assert.Equal("after", await reread.TextAsync());

        using var readAll = await http[0].GetKeyAsync("survivor", "?r=all");
        await AssertQuorumNotReachedAsync(readAll, "get", nodes.AddressOf(2));
        using var writeAll = await http[1].PutKeyAsync("survivor", "never", Kv.ContextOf(reread), "?w=all");
        await AssertQuorumNotReachedAsync(writeAll, "put", nodes.AddressOf(2));

        using (var delete = await http[1].DeleteKeyAsync("survivor", Kv.ContextOf(reread), "?w=quorum"))
            Assert.Equal(HttpStatusCode.NoContent, delete.StatusCode);
        using var deleted = await http[0].GetKeyAsync("survivor", "?r=quorum");
        Assert.Equal(HttpStatusCode.NotFound, deleted.StatusCode);
    }

    [Fact]
    public async Task A_write_at_all_that_a_killed_node_never_acknowledges_answers_504_with_an_unknown_outcome()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        // The first write starts the key's replicas on every node (journal recovery), so the second one is quick.
        using (var warm = await nodes.Http[0].PutKeyAsync("unknown", "warm-up", query: "?w=all"))
            Assert.Equal(HttpStatusCode.NoContent, warm.StatusCode);

        await nodes.AwaitUnreachableAsync(observer: 0, unreachable: 0);
        nodes.Kill(2);
        // Sent before the failure detector notices (seconds), the write goes to all three, and one never answers.
        using var response = await nodes.Http[0].PutKeyAsync("unknown", "v", query: "?w=all&timeout=3s");

        var body = await Json.BodyAsync(response);
        Assert.True(response.StatusCode == HttpStatusCode.GatewayTimeout, $"{(int)response.StatusCode}: {body}");
        Assert.Equal("outcome_unknown", body.GetProperty("error").GetString());
        Assert.True(body.GetProperty("outcomeUnknown").GetBoolean());
        Assert.Equal(3, body.GetProperty("required").GetInt32());
        Assert.Equal(2, body.GetProperty("answered").GetInt32());
        Assert.Equal(nodes.AddressOf(2), Assert.Single(body.GetProperty("missingReplicas").EnumerateArray()).GetString());

        // The two replicas that acknowledged hold the write: it is visible at quorum, as a sibling of the warm-up.
        using var read = await nodes.Http[1].GetKeyAsync("unknown", "?r=quorum", json: true);
        var values = (await Json.BodyAsync(read)).GetProperty("values").EnumerateArray().Select(v => v.GetString());
        Assert.Contains(Convert.ToBase64String("v"u8), values);
    }

    private static async Task AssertQuorumNotReachedAsync(HttpResponseMessage response, string operation, string killed)
    {
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await Json.BodyAsync(response);
        Assert.Equal("quorum_not_reached", body.GetProperty("error").GetString());
        Assert.Equal(operation, body.GetProperty("operation").GetString());
        Assert.Equal(3, body.GetProperty("required").GetInt32());
        Assert.True(body.GetProperty("answered").GetInt32() < 3);
        Assert.Contains(killed, body.GetProperty("missingReplicas").EnumerateArray().Select(e => e.GetString()));
        Assert.False(body.GetProperty("outcomeUnknown").GetBoolean());
    }
}
