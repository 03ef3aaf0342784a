using Akka.Actor;
using Akka.Cluster;
using Akka.Remote;
using Akka.Remote.Transport;

namespace LeaderlessActors.TestKit;

public sealed partial class TestCluster
{
    /// <summary>Drops all traffic between nodes <paramref name="a"/> and <paramref name="b"/>, both directions, until
    /// <see cref="HealAsync"/>. Messages sent meanwhile are lost, as on a real cut.</summary>
    public Task BlackholeAsync(int a, int b) => Throttle(a, b, Blackhole.Instance);

    /// <summary>Restores traffic between nodes <paramref name="a"/> and <paramref name="b"/>.</summary>
    public Task HealAsync(int a, int b) => Throttle(a, b, Unthrottled.Instance);

    /// <summary>Cuts node <paramref name="index"/> off from every other running node and, unless
    /// <paramref name="awaitUnreachable"/> is false, waits until they all see it unreachable. (Reachability is
    /// cluster-wide gossip: a cut between two nodes alone makes third parties lose sight of one of them too.)</summary>
    public async Task IsolateAsync(int index, bool awaitUnreachable = true)
    {
        foreach (var other in RunningNodes.Where(o => o != index)) await BlackholeAsync(index, other);
        if (awaitUnreachable) await AwaitUnreachableAsync(index);
    }

    /// <summary>Reconnects node <paramref name="index"/> to every other running node and waits until the cluster converged.</summary>
    public async Task RejoinAsync(int index)
    {
        foreach (var other in RunningNodes.Where(o => o != index)) await HealAsync(index, other);
        await AwaitConvergedAsync();
    }

    /// <summary>Heals every link between running nodes and waits until the cluster converged.</summary>
    public async Task HealAllAsync()
    {
        var running = RunningNodes;
        foreach (var a in running)
        foreach (var b in running.Where(b => b > a))
            await HealAsync(a, b);
        await AwaitConvergedAsync();
    }

    /// <summary>Terminates node <paramref name="index"/> abruptly: no leave, the others see it unreachable and keep it in
    /// their ring as a down owner.</summary>
    public async Task CrashAsync(int index)
    {
        var system = this[index];
        lock (_nodes) Slot(index).System = null;
        await system.Terminate();
    }

    /// <summary>Starts node <paramref name="index"/> again on its old address and data folder (memory storage comes back
    /// empty) and waits until it is Up and seen by every running node.</summary>
    /// <exception cref="InvalidOperationException">The node runs, or it left the cluster.</exception>
    public async Task RestartAsync(int index)
    {
        if (IsRunning(index)) throw new InvalidOperationException($"Node {index} is running.");
        if (Slot(index).Left) throw new InvalidOperationException($"Node {index} left the cluster; join a new node instead.");
        StartNode(index);
        await AwaitConvergedAsync();
    }

    /// <summary>Crashes every running node; <see cref="RestartAllAsync"/> brings them back on their addresses and data.</summary>
    public async Task CrashAllAsync()
    {
        foreach (var i in RunningNodes) await CrashAsync(i);
    }

    /// <summary>Starts every crashed node again, lowest number first so the others have a seed to join.</summary>
    public async Task RestartAllAsync()
    {
        for (var i = 0; i < Count; i++)
            if (!IsRunning(i) && !Slot(i).Left) StartNode(i);
        await AwaitConvergedAsync();
    }

    /// <summary>Leaves the cluster gracefully from node <paramref name="index"/>: the others drop it from their ring (its
    /// partitions move to the remaining members), then its system terminates. Waits until every running node's ring no
    /// longer has it.</summary>
    public async Task LeaveAsync(int index)
    {
        var system = this[index];
        var address = AddressOf(index);
        var removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        Cluster.Get(system).RegisterOnMemberRemoved(() => removed.TrySetResult());
        await Cluster.Get(system).LeaveAsync();
        await removed.Task.WaitAsync(_options.WaitTimeout);
        lock (_nodes) (Slot(index).System, Slot(index).Left) = (null, true);
        await system.Terminate();
        await Eventually(() => RunningNodes.All(n => !Store(n).Ring.Members.Contains(address)),
            _options.WaitTimeout, $"node {index} to leave every ring");
    }

    /// <summary>Starts a new node, joins it and waits until the cluster converged with it; returns its number.</summary>
    public async Task<int> JoinNewNodeAsync()
    {
        var index = AddSlot();
        StartNode(index);
        await AwaitConvergedAsync();
        return index;
    }

    private async Task Throttle(int a, int b, ThrottleMode mode)
    {
        await Transport(a).ManagementCommand(new SetThrottle(AddressOf(b), ThrottleTransportAdapter.Direction.Both, mode));
        await Transport(b).ManagementCommand(new SetThrottle(AddressOf(a), ThrottleTransportAdapter.Direction.Both, mode));
    }

    private RemoteTransport Transport(int index) =>
        ((IRemoteActorRefProvider)((ExtendedActorSystem)this[index]).Provider).Transport;
}
