using System.Diagnostics;
using Akka.Actor;

namespace LeaderlessActors.Benchmarks.Cluster;

/// <summary>
/// Node 0 in this process (the clients drive it), nodes 1 and 2 in their own OS processes: this program started again
/// with its <c>node</c> command. A child leaves when its standard input closes, and is killed if it does not.
/// </summary>
internal sealed class NodeProcessCluster : ClusterUnderTest
{
    private readonly ActorSystem _local;
    private readonly List<Process> _children = [];

    private NodeProcessCluster(NodeSetup setup, ActorSystem local) : base(setup) => _local = local;

    public override IReadOnlyList<ActorSystem> LocalNodes => [_local];

    public override string Mode => "node processes";

    public static async Task<NodeProcessCluster> StartAsync(NodeSetup setup, int count)
    {
        var cluster = new NodeProcessCluster(setup, StartNode(setup, 0, port: 0));
        try
        {
            var seed = Akka.Cluster.Cluster.Get(cluster._local).SelfAddress;
            Akka.Cluster.Cluster.Get(cluster._local).Join(seed);
            for (var i = 1; i < count; i++) cluster._children.Add(Spawn(setup, i, seed));
            await Task.WhenAll(cluster._children.Select(AwaitReadyAsync));
            await AwaitMembersUpAsync([cluster._local], count);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private static Process Spawn(NodeSetup setup, int index, Address seed)
    {
        // Under `dotnet run` or `dotnet x.dll` the host is dotnet; the child runs the same assembly either way.
        var host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        var start = new ProcessStartInfo(host) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(typeof(NodeProcessCluster).Assembly.Location);
        foreach (var argument in ChildNode.Arguments(setup, index, $"{seed.Host}:{seed.Port}")) start.ArgumentList.Add(argument);
        return Process.Start(start) ?? throw new InvalidOperationException($"Could not start node process {index}.");
    }

    private static async Task AwaitReadyAsync(Process child)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (await child.StandardOutput.ReadLineAsync(timeout.Token) is { } line)
        {
            if (line == ChildNode.ReadyLine)
            {
                _ = ForwardOutputAsync(child);
                return;
            }
            Console.Error.WriteLine($"[node {child.Id}] {line}");
        }
        throw new InvalidOperationException($"Node process {child.Id} exited before it was ready (exit code {child.ExitCode}).");
    }

    private static async Task ForwardOutputAsync(Process child)
    {
        while (await child.StandardOutput.ReadLineAsync() is { } line) Console.Error.WriteLine($"[node {child.Id}] {line}");
    }

    public override async ValueTask DisposeAsync()
    {
        // Children leave first (all at once), then this node, so no node sees another vanish mid-association.
        foreach (var child in _children) child.StandardInput.Close();
        await Task.WhenAll(_children.Select(StopAsync));
        await LeaveAsync(_local);
        await _local.Terminate();
    }

    private static async Task StopAsync(Process child)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill(entireProcessTree: true);
        }
        finally
        {
            child.Dispose();
        }
    }
}
