using Akka.Actor;

namespace LeaderlessActors.TestKit;

public sealed partial class TestCluster
{
    /// <summary>Waits until every running node's ring holds every running node and each sees all of them reachable.</summary>
    public Task AwaitConvergedAsync() => Eventually(() =>
    {
        var running = RunningNodes.Select(AddressOf).ToHashSet();
        return RunningNodes.All(n => Store(n).Ring is var ring && running.IsSubsetOf(ring.Members) && running.All(ring.IsReachable));
    }, _options.WaitTimeout, "every running node to see every other in its ring and reachable");

    /// <summary>Waits until no running node knows of a partition moving to new owners (see
    /// <see cref="LeaderlessStore.Handoffs"/>): every new owner is filled from every earlier owner.</summary>
    public Task AwaitHandoffsSettledAsync() => EventuallyAsync(() => Task.FromResult(RunningNodes.All(n => Store(n).Handoffs.Count == 0)),
        _options.WaitTimeout, () => "every partition's new owners to be filled (no handoff under way); still moving: " + string.Join("; ",
            RunningNodes.Select(n => (Node: n, Moving: Store(n).Handoffs)).Select(v =>
                $"node {v.Node} (port {AddressOf(v.Node).Port}, ring {RingStatesOf(v.Node)}) sees {v.Moving.Count} moving" + string.Concat(v.Moving.Take(4).Select(h =>
                    $", partition {h.Partition} filling [{string.Join(", ", h.Filling.Select(a => a.Port))}] from [{string.Join(", ", h.EarlierOwners.Select(a => a.Port))}]")))));

    private string RingStatesOf(int node) =>
        string.Join(" ", Store(node).Ring.States.OrderBy(s => s.Key.Port).Select(s => $"{s.Key.Port}:{s.Value}"));

    /// <summary>Waits until every other running node sees node <paramref name="index"/> as unreachable.</summary>
    public Task AwaitUnreachableAsync(int index) => Eventually(() =>
        RunningNodes.Where(n => n != index).All(n => !Store(n).Ring.IsReachable(AddressOf(index))),
        _options.WaitTimeout, $"node {index} to be seen unreachable");

    /// <summary>
    /// Waits until, for every key, all N replicas answer an inspection from node <paramref name="from"/> (default the
    /// lowest running node) and hold the same versions (the same dots, values and tombstones). Returns the agreed
    /// inspections; on timeout the message lists the keys whose replicas still differ.
    /// </summary>
    public async Task<IReadOnlyList<KeyInspection>> AwaitReplicasAgreeAsync(IEnumerable<string> keys, int? from = null, TimeSpan? timeout = null)
    {
        var wanted = keys.ToArray();
        var agreed = new KeyInspection[wanted.Length];
        var pending = Enumerable.Range(0, wanted.Length).ToList();
        string? lastFailure = null;
        await EventuallyAsync(async () =>
        {
            var store = Store(from ?? RunningNodes[0]);
            foreach (var i in pending.ToArray())
            {
                KeyInspection inspection;
                try
                {
                    inspection = await store.InspectAsync(wanted[i], TimeSpan.FromSeconds(2));
                }
                catch (QuorumNotReachedException e) // a node too busy to answer in time (a loaded CI machine): not yet
                {
                    lastFailure = e.Message;
                    return false;
                }
                if (!ReplicaAgreement.Agree(inspection, store.Settings.ReplicationFactor)) continue;
                agreed[i] = inspection;
                pending.Remove(i);
            }
            return pending.Count == 0;
        }, timeout ?? _options.WaitTimeout, () => $"every replica of [{string.Join(", ", pending.Select(i => wanted[i]))}] to hold the same versions" +
            (lastFailure is null ? "" : $" (last failed inspection: {lastFailure})"));
        return agreed;
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds, failing after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message names <paramref name="what"/>.</exception>
    public static Task Eventually(Func<bool> condition, TimeSpan timeout, string what) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout, what);

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds, failing after <paramref name="timeout"/>.</summary>
    /// <exception cref="TimeoutException">The condition did not hold in time; the message names <paramref name="what"/>.</exception>
    public static Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, string what) =>
        EventuallyAsync(condition, timeout, () => what);

    private static async Task EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"Timed out after {timeout} waiting for {what()}.");
            await Task.Delay(50);
        }
    }
}
