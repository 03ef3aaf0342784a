using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>
/// Three processes of the real node host (src/LeaderlessActors.Node) on 127.0.0.1 with free ports: the HTTP API, the
/// embedded default storage (SQLite, one folder per node) and the node's own settings but for akka.loglevel = WARNING.
/// Node 0 is the seed. Ready once every node is healthy, sees all three in its ring with none unreachable, and no
/// partition is still moving to the owners the joins made. Dispose kills every node and deletes their folders.
/// </summary>
internal sealed class NodeHostCluster : IAsyncDisposable
{
    public const int NodeCount = 3;

    // The node's defaults (hocon/node.conf, the store's reference.conf) are what is measured; only akka.loglevel goes
    // from INFO to WARNING, as on the other suites' nodes (NodeSetup), so logging costs the same.
    private const string BenchmarkConfig = "akka.loglevel = WARNING\n";

    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(120);

    private readonly string _folder;
    private readonly List<NodeHostProcess> _nodes = [];
    private readonly List<HttpClient> _http = [];

    private NodeHostCluster(string folder) => _folder = folder;

    /// <summary>Each node's HTTP API, e.g. http://127.0.0.1:41234/.</summary>
    public IReadOnlyList<Uri> Endpoints => _http.Select(h => h.BaseAddress!).ToList();

    /// <summary>HTTP clients of the nodes (30 s timeout), by index.</summary>
    public IReadOnlyList<HttpClient> Http => _http;

    /// <summary>CPU time all nodes have used so far.</summary>
    public TimeSpan CpuTime => _nodes.Aggregate(TimeSpan.Zero, (sum, node) => sum + node.CpuTime);

    public static async Task<NodeHostCluster> StartAsync(string folder)
    {
        var cluster = new NodeHostCluster(folder);
        try
        {
            Directory.CreateDirectory(folder);
            var config = Path.Combine(folder, "benchmark.conf");
            await File.WriteAllTextAsync(config, BenchmarkConfig);
            var ports = FreeLoopbackPorts(2 * NodeCount);
            for (var i = 0; i < NodeCount; i++)
            {
                var (remoting, http) = (ports[2 * i], ports[2 * i + 1]);
                string[] arguments =
                [
                    "--hostname", "127.0.0.1", "--port", $"{remoting}", "--http-port", $"{http}", "--seeds", $"127.0.0.1:{ports[0]}",
                    "--data-dir", Path.Combine(folder, $"node{i}"), "--config", config,
                ];
                cluster._nodes.Add(NodeHostProcess.Start(arguments, folder));
                cluster._http.Add(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}/"), Timeout = TimeSpan.FromSeconds(30) });
            }
            await cluster.AwaitHealthyAsync(StartTimeout);
            await cluster.EventuallyAsync(cluster.NoHandoffsAsync, StartTimeout, "no partition moving to new owners");
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    /// <summary>Waits until every node is healthy and sees all nodes in its ring, none unreachable; returns how long it
    /// took. A workload that floods the nodes can delay heartbeats until members are flagged unreachable: the next one
    /// must not start on a cluster in that state.</summary>
    public async Task<TimeSpan> AwaitHealthyAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        await EventuallyAsync(AllHealthyAsync, timeout, "every node healthy, with all nodes in its ring and none unreachable");
        return clock.Elapsed;
    }

    private async Task<bool> AllHealthyAsync()
    {
        foreach (var http in _http)
        {
            using var health = await GetJsonAsync(http, "health");
            var root = health.RootElement;
            if (!root.GetProperty("ready").GetBoolean() || root.GetProperty("ringMembers").GetInt32() != NodeCount ||
                root.GetProperty("unreachableMembers").GetInt32() != 0)
                return false;
        }
        return true;
    }

    /// <summary>Times the nodes' failure detectors marked a member unreachable so far, summed over the nodes: their
    /// <c>leaderless.members.marked_unreachable</c> counters, read from each node's Prometheus endpoint.</summary>
    public async Task<long> MembersMarkedUnreachableAsync()
    {
        long total = 0;
        foreach (var http in _http)
            total += PrometheusText.Sum(await http.GetStringAsync("metrics"), MarkedUnreachable)
                ?? throw new InvalidOperationException($"The node at {http.BaseAddress} exports no {MarkedUnreachable}: renamed?");
        return total;
    }

    private const string MarkedUnreachable = "leaderless_members_marked_unreachable_total";

    private async Task<bool> NoHandoffsAsync()
    {
        foreach (var http in _http)
        {
            using var handoffs = await GetJsonAsync(http, "cluster/handoffs");
            if (handoffs.RootElement.GetProperty("movingPartitions").GetInt32() != 0) return false;
        }
        return true;
    }

    private static async Task<JsonDocument> GetJsonAsync(HttpClient http, string path)
    {
        // /health answers 503 with the same body while the node is not ready: the body decides, not the status.
        using var response = await http.GetAsync(path);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync());
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails at once when a node exits, and with every
    /// node's last output when <paramref name="timeout"/> passes.</summary>
    private async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (_nodes.FindIndex(n => n.HasExited) is var dead and >= 0)
                throw new InvalidOperationException($"Node process {dead} exited with code {_nodes[dead].ExitCode} while waiting for {what}.\n{Tails()}");
            try
            {
                if (await condition()) return;
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or KeyNotFoundException)
            {
                // Not listening yet, or answering something else while it starts.
            }
            if (clock.Elapsed > timeout) throw new TimeoutException($"The node processes did not reach {what} within {timeout.TotalSeconds:N0} s.\n{Tails()}");
            await Task.Delay(200);
        }
    }

    private string Tails() => string.Join('\n', _nodes.Select((node, i) => $"--- node {i} ---\n{node.Tail()}"));

    /// <summary>Ports the system hands out for a listener on 127.0.0.1 now; free unless another program takes one before
    /// the node binds it.</summary>
    private static int[] FreeLoopbackPorts(int count)
    {
        var listeners = new List<TcpListener>();
        try
        {
            for (var i = 0; i < count; i++)
            {
                listeners.Add(new TcpListener(IPAddress.Loopback, 0));
                listeners[^1].Start();
            }
            return listeners.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        }
        finally
        {
            foreach (var listener in listeners) listener.Stop();
        }
    }

    public ValueTask DisposeAsync()
    {
        foreach (var http in _http) http.Dispose();
        foreach (var node in _nodes) node.Dispose();
        try
        {
            if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A node that did not die in time may still hold its files; the run's own cleanup tries again.
        }
        return ValueTask.CompletedTask;
    }
}
