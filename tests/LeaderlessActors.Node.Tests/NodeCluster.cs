using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace LeaderlessActors.Node.Tests;

/// <summary>What a node's operator endpoints (<c>/cluster</c>, <c>/metrics</c>, <c>/kv/{key}/replicas</c>) say about the
/// cluster, as the node-process specs look at it.</summary>
internal static class NodeCluster
{
    /// <summary>Node configuration for specs that wait for Akka to down a member: the split-brain resolver downs an
    /// unreachable member once membership was stable for 5 s (production: 20 s), so a killed node is downed about 9 s
    /// after the kill (3 s heartbeat pause, then this). Shorter made the resolver down live nodes of a 5-node cluster
    /// while it formed on a loaded machine (heartbeats seconds late).</summary>
    public const string QuickDowning = "akka.cluster.split-brain-resolver.stable-after = 5s";

    public static async Task<JsonElement> ClusterAsync(this NodeProcesses nodes, int observer)
    {
        using var response = await nodes.Http[observer].GetAsync("/cluster");
        return await Json.BodyAsync(response);
    }

    public static async Task<JsonElement> RingAsync(this NodeProcesses nodes, int observer) =>
        (await nodes.ClusterAsync(observer)).GetProperty("ring");

    /// <summary>The state of <paramref name="node"/> in a ring (owner, joining, down, leaving), or null when not in it.</summary>
    public static string? StateOf(JsonElement ring, string node) =>
        ring.GetProperty("nodes").EnumerateArray().Where(n => n.GetProperty("node").GetString() == node)
            .Select(n => n.GetProperty("state").GetString()).FirstOrDefault();

    /// <summary>Whether <paramref name="observer"/> sees <paramref name="member"/> as an Akka member that is Up and reachable.</summary>
    public static async Task<bool> IsAkkaMemberAsync(this NodeProcesses nodes, int observer, int member) =>
        IsUpAndReachable(await nodes.ClusterAsync(observer), nodes.AddressOf(member));

    public static bool IsUpAndReachable(JsonElement cluster, string address) =>
        cluster.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("address").GetString() == address &&
                                                                  m.GetProperty("status").GetString() == "Up" &&
                                                                  m.GetProperty("reachable").GetBoolean());

    /// <summary>Every partition's replicas (its preference list) as <paramref name="observer"/>'s ring has them.</summary>
    public static async Task<string[][]> OwnersAsync(this NodeProcesses nodes, int observer) =>
        (await nodes.RingAsync(observer)).GetProperty("partitions").EnumerateArray()
        .Select(p => p.GetProperty("replicas").EnumerateArray().Select(r => r.GetProperty("node").GetString()!).ToArray()).ToArray();

    /// <summary>Waits until every node in <paramref name="observers"/> has Akka's downing of <paramref name="victim"/>
    /// behind it: no longer an Akka member, and still in the ring as an owner marked down.</summary>
    public static Task AwaitDownedAsync(this NodeProcesses nodes, int victim, IEnumerable<int> observers) =>
        nodes.EventuallyAsync(async () =>
        {
            foreach (var observer in observers)
            {
                var cluster = await nodes.ClusterAsync(observer);
                if (cluster.GetProperty("members").EnumerateArray().Any(m => m.GetProperty("address").GetString() == nodes.AddressOf(victim)) ||
                    StateOf(cluster.GetProperty("ring"), nodes.AddressOf(victim)) != "down")
                    return false;
            }
            return true;
        }, TimeSpan.FromSeconds(60), $"node {victim} to be downed by Akka and marked down in the ring");

    /// <summary>The sum of a gauge or counter over its label sets in node <paramref name="index"/>'s <c>/metrics</c>.</summary>
    public static async Task<double> MetricAsync(this NodeProcesses nodes, int index, string name)
    {
        using var response = await nodes.Http[index].GetAsync("/metrics");
        var text = await response.Content.ReadAsStringAsync();
        return Regex.Matches(text, $@"^{Regex.Escape(name)}(\{{[^}}]*\}})? (\S+)", RegexOptions.Multiline)
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
    }

    /// <summary>Every sibling value of <paramref name="key"/>, or none when the read fails.</summary>
    public static async Task<string[]> ValuesAsync(this HttpClient http, string key, string query)
    {
        using var read = await http.GetKeyAsync(key, query, json: true);
        return await Kv.ValuesOfAsync(read);
    }

    /// <summary>The values node <paramref name="replica"/>'s own replica of <paramref name="key"/> holds (unmerged,
    /// unrepaired: <c>/kv/{key}/replicas</c> asked through <paramref name="via"/>), or null when that replica did not answer
    /// or is not an owner of the key.</summary>
    public static async Task<string[]?> ReplicaValuesAsync(this NodeProcesses nodes, int via, string key, int replica)
    {
        using var response = await nodes.Http[via].GetAsync($"/kv/{Uri.EscapeDataString(key)}/replicas");
        if (response.StatusCode != HttpStatusCode.OK) return null;
        return (await Json.BodyAsync(response)).GetProperty("replicas").EnumerateArray()
            .Where(r => r.GetProperty("node").GetString() == nodes.AddressOf(replica))
            .Select(r => r.GetProperty("values").EnumerateArray().Select(v => Encoding.UTF8.GetString(v.GetBytesFromBase64())).ToArray())
            .FirstOrDefault();
    }

    /// <summary>The partition of <paramref name="key"/>, as <c>/kv/{key}/replicas</c> through <paramref name="via"/> names it.</summary>
    public static async Task<int> PartitionOfAsync(this NodeProcesses nodes, int via, string key)
    {
        using var response = await nodes.Http[via].GetAsync($"/kv/{Uri.EscapeDataString(key)}/replicas");
        return (await Json.BodyAsync(response)).GetProperty("partition").GetInt32();
    }

    /// <summary>The keys of <paramref name="expected"/> (key to value) that a quorum read through any of
    /// <paramref name="through"/> does not return, each with what it answered.</summary>
    public static async Task<IReadOnlyList<string>> UnreadableAtQuorumAsync(this NodeProcesses nodes, IReadOnlyDictionary<string, string> expected,
        IEnumerable<int> through)
    {
        var lost = new System.Collections.Concurrent.ConcurrentBag<string>();
        var reads = expected.SelectMany(kv => through.Select(node => (kv.Key, kv.Value, node)));
        await Parallel.ForEachAsync(reads, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (read, _) =>
        {
            using var response = await nodes.Http[read.node].GetKeyAsync(read.Key, "?r=quorum");
            var text = await response.TextAsync();
            if (response.StatusCode != HttpStatusCode.OK || text != read.Value)
                lost.Add($"{read.Key} via node {read.node}: {(int)response.StatusCode} {(text.Length > 200 ? text[..200] : text)}");
        });
        return lost.ToArray();
    }
}
