using Akka.Actor;
using Akka.Cluster;

namespace LeaderlessActors.TestKit;

/// <summary>
/// Several ActorSystems in this process forming a real cluster over Akka.Remote TCP on 127.0.0.1, each running the
/// store with its own storage. Faults are real: <see cref="CrashAsync"/> terminates a node without leaving the cluster,
/// <see cref="BlackholeAsync"/> drops every message between two nodes in both directions, <see cref="LeaveAsync"/>
/// leaves gracefully. Nodes are numbered from 0 in start order; a joined node gets the next number, and a number is
/// never reused. Dispose it (<c>await using</c>) to terminate every node and delete the temporary data.
/// </summary>
public sealed partial class TestCluster : IAsyncDisposable
{
    private readonly List<Node> _nodes = [];
    private readonly TestClusterOptions _options;

    /// <summary>One node slot: its fixed port, its running system (null while crashed or after it left).</summary>
    private sealed class Node(int port)
    {
        public int Port { get; set; } = port;
        public ActorSystem? System { get; set; }
        public bool Left { get; set; }
    }

    private TestCluster(TestClusterOptions options)
    {
        _options = options;
        DataRoot = Path.Combine(Path.GetTempPath(), "leaderless-tests", Guid.NewGuid().ToString("N"));
    }

    /// <summary>The temporary folder holding node <c>i</c>'s SQLite data under <c>node{i}</c>.</summary>
    public string DataRoot { get; }

    /// <summary>The options the cluster was started with.</summary>
    public TestClusterOptions Options => _options;

    /// <summary>How many nodes were ever started (running, crashed or left): the exclusive upper bound of node numbers.</summary>
    public int Count
    {
        get { lock (_nodes) return _nodes.Count; }
    }

    /// <summary>The running ActorSystem of node <paramref name="index"/>, for the application's actors and for probes.</summary>
    /// <exception cref="InvalidOperationException">The node is crashed or has left.</exception>
    public ActorSystem this[int index] => SystemOf(index) ?? throw new InvalidOperationException(
        $"Node {index} is {(Slot(index).Left ? "gone (it left the cluster)" : "down")}.");

    /// <summary>The numbers of the nodes that are running now.</summary>
    public IReadOnlyList<int> RunningNodes
    {
        get { lock (_nodes) return Enumerable.Range(0, _nodes.Count).Where(i => _nodes[i].System is not null).ToArray(); }
    }

    /// <summary>True while node <paramref name="index"/> runs (started, not crashed, not left).</summary>
    public bool IsRunning(int index) => SystemOf(index) is not null;

    /// <summary>The store of node <paramref name="index"/>.</summary>
    public LeaderlessStore Store(int index) => LeaderlessStore.Get(this[index]);

    /// <summary>The address of node <paramref name="index"/>; it stays the same across restarts.</summary>
    public Address AddressOf(int index) => new(NodeHocon.Protocol, NodeHocon.SystemName, "127.0.0.1", Slot(index).Port);

    /// <summary>Starts <paramref name="count"/> nodes, joins them and waits until every node has all of them in its ring,
    /// sees them reachable and no partition is moving. <paramref name="extraConfig"/> applies to every node, <paramref name="nodeConfig"/> to
    /// node i only.</summary>
    public static Task<TestCluster> StartAsync(int count, string extraConfig = "", Func<int, string>? nodeConfig = null) =>
        StartAsync(new TestClusterOptions { Nodes = count, ExtraConfig = extraConfig, NodeConfig = nodeConfig });

    /// <summary>Starts a cluster as <paramref name="options"/> say and waits until it converged and the partitions that
    /// moved onto the nodes as they joined are handed off.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static async Task<TestCluster> StartAsync(TestClusterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var cluster = new TestCluster(options);
        try
        {
            for (var i = 0; i < options.Nodes; i++) cluster.StartNode(cluster.AddSlot());
            await cluster.AwaitConvergedAsync();
            await cluster.AwaitHandoffsSettledAsync(); // forming the cluster moved partitions onto each node that joined
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private ActorSystem? SystemOf(int index)
    {
        var slot = Slot(index);
        lock (_nodes) return slot.System;
    }

    /// <summary>The slot of node <paramref name="index"/>; the nemesis of a chaos run joins nodes while clients read.</summary>
    private Node Slot(int index)
    {
        lock (_nodes)
        {
            if (index < 0 || index >= _nodes.Count)
                throw new ArgumentOutOfRangeException(nameof(index), index, $"The cluster has nodes 0 to {_nodes.Count - 1}.");
            return _nodes[index];
        }
    }

    private int AddSlot()
    {
        lock (_nodes)
        {
            _nodes.Add(new Node(port: 0));
            return _nodes.Count - 1;
        }
    }

    /// <summary>Starts node <paramref name="index"/> on its port (a free one the first time) and data folder, and joins it
    /// to the first other running node; only a node with no running peer joins itself (a restarted node 0 that joined
    /// itself while the others ran would form a second cluster).</summary>
    private void StartNode(int index)
    {
        var slot = Slot(index);
        var config = NodeHocon.For(_options, index, slot.Port, Path.Combine(DataRoot, $"node{index}"));
        var system = ActorSystem.Create(NodeHocon.SystemName, config);
        var self = Cluster.Get(system).SelfAddress;
        ActorSystem? peer;
        lock (_nodes)
        {
            slot.Port = self.Port!.Value;
            peer = _nodes.Select(n => n.System).FirstOrDefault(s => s is not null);
            slot.System = system;
        }
        LeaderlessStore.Get(system);
        _options.OnNodeStarted?.Invoke(system, index);
        Cluster.Get(system).Join(peer is null ? self : Cluster.Get(peer).SelfAddress);
    }

    /// <summary>Terminates every running node and deletes the temporary data.</summary>
    public async ValueTask DisposeAsync()
    {
        ActorSystem[] running;
        lock (_nodes) running = _nodes.Select(n => n.System).OfType<ActorSystem>().ToArray();
        await Task.WhenAll(running.Select(s => s.Terminate()));
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools(); // pooled connections keep the files open
        try { Directory.Delete(DataRoot, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
