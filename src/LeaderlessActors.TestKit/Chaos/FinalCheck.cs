using System.Diagnostics;

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>
/// After the last fault: heal everything, read every key at Quorum from every running node and then at All (recorded, so
/// the history checks apply to them), wait until every replica of every key holds the same versions, and check that the
/// replicas hold what the read at All returned and no more siblings than the bound.
/// </summary>
internal sealed class FinalCheck(TestCluster cluster, ChaosOptions options, History history, Stopwatch clock)
{
    public async Task RunAsync()
    {
        try
        {
            await cluster.HealAllAsync();
            var running = cluster.RunningNodes;
            foreach (var key in options.Keys)
            foreach (var node in running)
                await ReadAsync(key, node, Consistency.Quorum);
            var atAll = new Dictionary<string, Operation>();
            foreach (var (key, i) in options.Keys.Select((k, i) => (k, i)))
                atAll[key] = await ReadAsync(key, running[i % running.Count], Consistency.All);
            var agreed = await cluster.AwaitReplicasAgreeAsync(options.Keys, timeout: options.CheckTimeout);
            foreach (var inspection in agreed)
            {
                var held = ChaosClients.Texts(inspection.Replicas[0].Values).Order().ToArray();
                var read = atAll[inspection.Key];
                if (!held.SequenceEqual(read.Values.Order()))
                    Fail($"after healing, the replicas of {inspection.Key} hold [{string.Join(", ", held)}] but the read at All returned {read}");
                if (inspection.Replicas[0].Versions.Count > options.MaxSiblings)
                    Fail($"after healing, the replicas of {inspection.Key} hold {inspection.Replicas[0].Versions.Count} versions, over the bound of {options.MaxSiblings}");
            }
        }
        catch (Exception e)
        {
            Fail($"did not converge after the final heal: {e.GetType().Name}: {e.Message}");
        }
    }

    private async Task<Operation> ReadAsync(string key, int node, Consistency consistency)
    {
        for (var attempt = 1; ; attempt++)
        {
            var op = new Operation { Client = -1, Kind = OperationKind.Read, Key = key, Node = node, Start = clock.ElapsedTicks };
            try
            {
                var read = await options.Target.GetAsync(cluster.Store(node), key, new ReadOptions { Consistency = consistency, Timeout = options.CheckTimeout });
                (op.Values, op.Context, op.End) = (ChaosClients.Texts(read.Values), read.Context, clock.ElapsedTicks);
                history.Add(op);
                return op;
            }
            catch (QuorumNotReachedException) when (attempt < FinalReadAttempts)
            {
                // Reachability can flap for a moment after a heal (a restarted node's heartbeats settling): a node that
                // saw every other reachable may see one unreachable again and refuse the read at once. Convergence is
                // "eventually": wait until every node sees every other again, and read again (a failed read changes nothing).
                await cluster.AwaitConvergedAsync();
            }
        }
    }

    // Reads of the final check, per key and node, before a quorum miss counts as not converging.
    private const int FinalReadAttempts = 3;

    private void Fail(string text) => history.AddViolation(new Violation(text, clock.ElapsedTicks));
}
