using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

public class OperatorEndpointsSpec(ThreeNodeCluster cluster) : ThreeNodeSpec(cluster)
{
    [Fact]
    public async Task Health_answers_200_with_the_node_up_in_a_ring_of_three()
    {
        using var response = await Node(1).GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.BodyAsync(response);
        Assert.Equal("up", body.GetProperty("status").GetString());
        Assert.Equal(Nodes.AddressOf(1), body.GetProperty("node").GetString());
        Assert.Equal(3, body.GetProperty("ringMembers").GetInt32());
    }

    [Fact]
    public async Task Cluster_lists_the_members_and_the_reachable_replicas_of_every_partition()
    {
        using var response = await Node(0).GetAsync("/cluster");
        var body = await Json.BodyAsync(response);
        var members = body.GetProperty("members").EnumerateArray().ToArray();
        Assert.Equal(3, members.Length);
        Assert.All(members, m => Assert.Equal("Up", m.GetProperty("status").GetString()));
        Assert.All(members, m => Assert.True(m.GetProperty("reachable").GetBoolean()));
        var ring = body.GetProperty("ring");
        Assert.Equal(64, ring.GetProperty("partitionCount").GetInt32());
        Assert.Equal(0, ring.GetProperty("unhealthyPartitions").GetInt32());
        var partitions = ring.GetProperty("partitions").EnumerateArray().ToArray();
        Assert.Equal(64, partitions.Length);
        Assert.All(partitions, p => Assert.Equal(3, p.GetProperty("replicas").GetArrayLength()));
    }

    [Fact]
    public async Task Cluster_handoffs_shows_every_partition_settled_once_the_three_nodes_filled_their_new_replicas()
    {
        // Forming the cluster moved partitions onto the nodes that joined; their fills finish within moments.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            using var response = await Node(2).GetAsync("/cluster/handoffs");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var body = await Json.BodyAsync(response);
            var moving = body.GetProperty("movingPartitions").GetInt32();
            Assert.Equal(moving, body.GetProperty("partitions").GetArrayLength());
            if (moving == 0) return;
            Assert.True(DateTime.UtcNow < deadline, $"{moving} partitions still moving: {body}");
            await Task.Delay(200);
        }
    }

    [Fact]
    public async Task Replicas_shows_each_replica_state_of_a_key()
    {
        using (var put = await Node(0).PutKeyAsync("inspected", "v", query: "?w=all")) Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        using var response = await Node(1).GetAsync("/kv/inspected/replicas");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json.BodyAsync(response);
        Assert.Equal("inspected", body.GetProperty("key").GetString());
        var replicas = body.GetProperty("replicas").EnumerateArray().ToArray();
        Assert.Equal(3, replicas.Length);
        Assert.Equal([0, 1, 2], replicas.Select(r => r.GetProperty("replicaIndex").GetInt32()));
        Assert.Equal(3, replicas.Select(r => r.GetProperty("node").GetString()).Distinct().Count());
        Assert.All(replicas, r => Assert.Equal("dg==", Assert.Single(r.GetProperty("values").EnumerateArray()).GetString()));
        Assert.Empty(body.GetProperty("missing").EnumerateArray());
    }

    [Fact]
    public async Task Metrics_exposes_store_requests_by_operation_and_outcome_in_prometheus_text()
    {
        using (var put = await Node(0).PutKeyAsync("metered", "v")) Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);
        using (var missing = await Node(0).GetKeyAsync("metered-absent")) Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        using var response = await Node(0).GetAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.TextAsync();
        Assert.Matches("""leaderless_requests_total\{[^}]*operation="put",outcome="ok"\} \d+""", text);
        Assert.Matches("""leaderless_requests_total\{[^}]*operation="get",outcome="not_found"\} \d+""", text);
        Assert.Matches("""leaderless_request_duration_seconds_bucket\{[^}]*operation="put",outcome="ok",le="0.005"\}""", text);
        // The store's meter names its node (a scope label): nodes sharing a process or a dashboard report apart.
        Assert.Matches("""leaderless_requests_total\{[^}]*otel_scope_leaderless_node="akka[^"]+"[^}]*operation="put",outcome="ok"\}""", text);
        foreach (var name in new[] { "leaderless_read_repairs_total", "leaderless_siblings_seen_total", "leaderless_replicas_needing_repair", "leaderless_replicas_history_lost_total", "leaderless_replicas_epochs_renewed_total", "leaderless_resync_keys_received_total" })
            Assert.Contains(name, text);
    }

    [Fact]
    public async Task Metrics_exposes_hints_pending_replayed_dropped_and_the_oldest_hints_age()
    {
        using var response = await Node(2).GetAsync("/metrics");
        var text = await response.TextAsync();
        foreach (var name in new[] { "leaderless_hints_pending", "leaderless_hints_replayed_total", "leaderless_hints_dropped_total", "leaderless_hints_oldest_age_seconds" })
            Assert.Contains(name, text);
    }

    [Fact]
    public async Task A_write_with_sloppy_true_is_taken_and_stored_on_the_owners_while_all_are_up()
    {
        using (var put = await Node(1).PutKeyAsync("sloppy-but-healthy", "v", query: "?sloppy=true&w=all"))
            Assert.Equal(HttpStatusCode.NoContent, put.StatusCode);

        using var response = await Node(0).GetAsync("/kv/sloppy-but-healthy/replicas");
        var replicas = (await Json.BodyAsync(response)).GetProperty("replicas").EnumerateArray().ToArray();
        Assert.Equal(3, replicas.Length);
        Assert.All(replicas, r => Assert.Equal("dg==", Assert.Single(r.GetProperty("values").EnumerateArray()).GetString()));
    }
}
