using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;
using Akka.Remote;
using Akka.Remote.Transport;

namespace LeaderlessActors.MultiNode.Tests;

/// <summary>
/// Several ActorSystems in this process forming a real cluster over Akka.Remote TCP on 127.0.0.1, each with its own
/// storage. Faults are real: <see cref="Crash"/> terminates a system without leaving the cluster, <see cref="Blackhole"/>
/// drops every message between two nodes in both directions.
/// </summary>
public sealed class TestCluster : IAsyncDisposable
{
    private readonly List<ActorSystem?> _nodes = [];
    private readonly List<int> _ports = [];
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "leaderless-tests", Guid.NewGuid().ToString("N"));
    private readonly string _extraConfig;
    private readonly Func<int, string> _nodeConfig;

    // LEADERLESS_TEST_LOGLEVEL=DEBUG shows what the nodes do when a spec fails.
    private static readonly string LogLevel = Environment.GetEnvironmentVariable("LEADERLESS_TEST_LOGLEVEL") ?? "WARNING";

    private TestCluster(string extraConfig, Func<int, string>? nodeConfig)
    {
        _extraConfig = extraConfig;
        _nodeConfig = nodeConfig ?? (_ => "");
    }

    public string DataRoot => _dataRoot;

    public ActorSystem this[int index] => _nodes[index] ?? throw new InvalidOperationException($"Node {index} is down.");

    public LeaderlessStore Store(int index) => LeaderlessStore.Get(this[index]);

    public Address AddressOf(int index) => new("akka.trttl.tcp", "leaderless", "127.0.0.1", _ports[index]);

    public int Count => _nodes.Count;

    /// <summary>Starts <paramref name="count"/> nodes, joins them and waits until every node sees all of them Up in its ring.
    /// <paramref name="extraConfig"/> applies to every node, <paramref name="nodeConfig"/> to node i only.</summary>
    public static async Task<TestCluster> StartAsync(int count, string extraConfig = "", Func<int, string>? nodeConfig = null)
    {
        var cluster = new TestCluster(extraConfig, nodeConfig);
        try
        {
            for (var i = 0; i < count; i++) cluster.StartNode(port: 0);
            await cluster.AwaitConvergedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private int StartNode(int port, int? index = null)
    {
        var i = index ?? _nodes.Count;
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = {{LogLevel}}
              stdout-loglevel = {{LogLevel}}
              log-dead-letters = off
              actor.provider = cluster
              coordinated-shutdown.run-by-actor-system-terminate = off
              coordinated-shutdown.terminate-actor-system = off
              remote.dot-netty.tcp {
                hostname = 127.0.0.1
                port = {{port}}
                applied-adapters = [trttl]
                maximum-frame-size = 2MiB
              }
              cluster {
                downing-provider-class = ""
                gossip-interval = 200ms
                seed-node-timeout = 1s
                retry-unsuccessful-join-after = 1s
                failure-detector {
                  heartbeat-interval = 200ms
                  # 3 s rather than 1 s: a loaded 2-core machine delays heartbeats past 1 s and flags live nodes.
                  acceptable-heartbeat-pause = 3s
                }
              }
            }
            leaderless.storage.sqlite.data-dir = "{{Path.Combine(_dataRoot, $"node{i}").Replace("\\", "/")}}"
            """).WithFallback(ConfigurationFactory.ParseString(_nodeConfig(i))).WithFallback(ConfigurationFactory.ParseString(_extraConfig));
        var system = ActorSystem.Create("leaderless", config);
        var address = Cluster.Get(system).SelfAddress;
        if (index is null)
        {
            _nodes.Add(system);
            _ports.Add(address.Port!.Value);
        }
        else
        {
            _nodes[i] = system;
        }
        LeaderlessStore.Get(system);
        // Join the first other live node; only a node with no live peer starts a cluster by joining itself (a restarted
        // node 0 that joined itself while the others ran would form a second cluster).
        var seed = _nodes.FirstOrDefault(n => n is not null && n != system) is { } peer ? Cluster.Get(peer).SelfAddress : address;
        Cluster.Get(system).Join(seed);
        return i;
    }

    /// <summary>Crashes every node; <see cref="RestartAllAsync"/> brings them back on their addresses and data.</summary>
    public async Task CrashAllAsync()
    {
        for (var i = 0; i < _nodes.Count; i++)
            if (_nodes[i] is not null) await CrashAsync(i);
    }

    /// <summary>Starts every stopped node again, node 0 first so the others have a seed to join.</summary>
    public async Task RestartAllAsync()
    {
        for (var i = 0; i < _nodes.Count; i++)
            if (_nodes[i] is null) StartNode(_ports[i], i);
        await AwaitConvergedAsync();
    }

    /// <summary>Terminates node <paramref name="index"/> abruptly: no leave, the others see it unreachable.</summary>
    public async Task CrashAsync(int index)
    {
        var system = this[index];
        _nodes[index] = null;
        await system.Terminate();
    }

    /// <summary>Starts node <paramref name="index"/> again on its old port and data folder and waits until it is Up
    /// and seen by all live nodes.</summary>
    public async Task RestartAsync(int index)
    {
        if (_nodes[index] is not null) throw new InvalidOperationException($"Node {index} is running.");
        StartNode(_ports[index], index);
        await AwaitConvergedAsync();
    }

    /// <summary>Waits until every live node's ring has every live node and each sees the others reachable.</summary>
    public Task AwaitConvergedAsync() => Eventually(() =>
    {
        var live = _nodes.Where(n => n is not null).Select(n => Cluster.Get(n!).SelfAddress).ToHashSet();
        foreach (var node in _nodes.Where(n => n is not null))
        {
            var topology = LeaderlessStore.Get(node!).Topology.Current;
            if (!live.SetEquals(topology.Ring.Members.Where(live.Contains)) || topology.Ring.Members.Count(live.Contains) != live.Count)
                return false;
            if (live.Any(a => !topology.IsReachable(a))) return false;
        }
        return true;
    }, TimeSpan.FromSeconds(30), "cluster to converge");

    /// <summary>Waits until every other live node sees node <paramref name="index"/> as unreachable.</summary>
    public Task AwaitUnreachableAsync(int index) => Eventually(() =>
        _nodes.Where((n, i) => n is not null && i != index)
            .All(n => !LeaderlessStore.Get(n!).Topology.Current.IsReachable(AddressOf(index))),
        TimeSpan.FromSeconds(30), $"node {index} to be seen unreachable");

    /// <summary>Drops all traffic between nodes <paramref name="a"/> and <paramref name="b"/>, both directions.</summary>
    public Task BlackholeAsync(int a, int b) => Throttle(a, b, Blackhole.Instance);

    /// <summary>Restores traffic between nodes <paramref name="a"/> and <paramref name="b"/>.</summary>
    public Task HealAsync(int a, int b) => Throttle(a, b, Unthrottled.Instance);

    private async Task Throttle(int a, int b, ThrottleMode mode)
    {
        await Transport(a).ManagementCommand(new SetThrottle(AddressOf(b), ThrottleTransportAdapter.Direction.Both, mode));
        await Transport(b).ManagementCommand(new SetThrottle(AddressOf(a), ThrottleTransportAdapter.Direction.Both, mode));
    }

    private RemoteTransport Transport(int index) =>
        ((IRemoteActorRefProvider)((ExtendedActorSystem)this[index]).Provider).Transport;

    public static Task Eventually(Func<bool> condition, TimeSpan timeout, string what) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="condition"/> until it holds, failing after <paramref name="timeout"/>.</summary>
    public static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout} waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_nodes.Where(n => n is not null).Select(n => n!.Terminate()));
        try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
