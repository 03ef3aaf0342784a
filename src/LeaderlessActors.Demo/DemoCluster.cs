using Akka.Actor;
using Akka.Cluster;
using Akka.Configuration;

namespace LeaderlessActors.Demo;

/// <summary>
/// Several nodes (ActorSystems) in this process, clustered over Akka.Remote TCP on 127.0.0.1, each with its own SQLite
/// file under one temporary folder. <see cref="CrashAsync"/> stops a node without leaving the cluster, as a crash would:
/// the others only notice through the failure detector.
/// </summary>
internal sealed class DemoCluster : IAsyncDisposable
{
    private readonly ActorSystem?[] _nodes;
    private readonly int[] _ports;
    private readonly string _dataRoot = Path.Combine(Path.GetTempPath(), "leaderless-demo", Guid.NewGuid().ToString("N"));

    private DemoCluster(int count)
    {
        _nodes = new ActorSystem?[count];
        _ports = new int[count];
    }

    public int Count => _nodes.Length;

    public string DataRoot => _dataRoot;

    public static string NameOf(int index) => $"node-{index + 1}";

    public bool IsUp(int index) => _nodes[index] is not null;

    public LeaderlessStore Store(int index) =>
        LeaderlessStore.Get(_nodes[index] ?? throw new InvalidOperationException($"{NameOf(index)} is down."));

    /// <summary>The cluster address of node <paramref name="index"/>, as replica states name it.</summary>
    public string AddressOf(int index) => $"akka.tcp://demo@127.0.0.1:{_ports[index]}";

    public static async Task<DemoCluster> StartAsync(int count)
    {
        var cluster = new DemoCluster(count);
        try
        {
            for (var i = 0; i < count; i++) cluster.Start(i, port: 0);
            await cluster.AwaitConvergedAsync();
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    public async Task CrashAsync(int index)
    {
        var system = _nodes[index]!;
        _nodes[index] = null;
        await system.Terminate(); // coordinated shutdown is off for terminate: no leave, a crash to the others
        await Eventually(() => Live().All(n => Cluster.Get(n).State.Unreachable.Any(m => m.Address.Port == _ports[index])),
            $"{NameOf(index)} to be seen unreachable");
    }

    public async Task RestartAsync(int index)
    {
        Start(index, _ports[index]);
        await AwaitConvergedAsync();
    }

    private void Start(int index, int port)
    {
        var config = ConfigurationFactory.ParseString($$"""
            akka {
              loglevel = ERROR
              stdout-loglevel = ERROR
              log-dead-letters = off
              actor.provider = cluster
              coordinated-shutdown.run-by-actor-system-terminate = off
              coordinated-shutdown.terminate-actor-system = off
              coordinated-shutdown.run-by-clr-shutdown-hook = off
              remote {
                log-remote-lifecycle-events = off
                dot-netty.tcp { hostname = 127.0.0.1, port = {{port}}, maximum-frame-size = 2MiB }
              }
              # No downing: the crashed node keeps its place in the ring until it restarts. A crash is seen in ~2.5 s;
              # a shorter pause flags live nodes on a busy machine.
              cluster {
                downing-provider-class = ""
                gossip-interval = 200ms, seed-node-timeout = 1s, retry-unsuccessful-join-after = 1s
                failure-detector { heartbeat-interval = 200ms, acceptable-heartbeat-pause = 2s }
              }
            }
            leaderless.storage.sqlite.data-dir = "{{Path.Combine(_dataRoot, NameOf(index)).Replace("\\", "/")}}"
            """);
        var system = ActorSystem.Create("demo", config);
        _nodes[index] = system;
        _ports[index] = Cluster.Get(system).SelfAddress.Port!.Value;
        LeaderlessStore.Get(system); // every member must run the store to hold replicas
        var seed = index == 0 ? Cluster.Get(system).SelfAddress : Cluster.Get(_nodes[0]!).SelfAddress;
        Cluster.Get(system).Join(seed);
    }

    private Task AwaitConvergedAsync() => Eventually(() =>
    {
        var live = Live().ToArray();
        return live.All(n =>
        {
            var state = Cluster.Get(n).State;
            return state.Unreachable.Count == 0 && state.Members.Count(m => m.Status == MemberStatus.Up) == live.Length;
        });
    }, "the cluster to converge");

    private IEnumerable<ActorSystem> Live() => _nodes.Where(n => n is not null)!;

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out waiting for {what}.");
            await Task.Delay(50);
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Shutting down all at once makes every node log its lost connections: that is no news at the end of the demo.
        foreach (var node in Live()) node.EventStream.SetLogLevel(Akka.Event.Logging.LogLevelFor("OFF"));
        await Task.WhenAll(Live().Select(n => n.Terminate()));
        Array.Clear(_nodes);
        try { Directory.Delete(_dataRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
