using System.Diagnostics;

namespace LeaderlessActors.TestKit.Chaos;

/// <summary>
/// One seeded chaos run: starts a cluster, runs concurrent clients while a <see cref="FaultSchedule"/> cuts links,
/// isolates, crashes and restarts nodes, makes nodes leave and join; then, with every fault healed, reads every key at
/// Quorum from every node and at All, waits until every replica of every key holds the same versions, and checks the
/// whole history with <see cref="HistoryChecker"/>. A fault step or final read that fails is a violation too.
/// </summary>
public static class ChaosRun
{
    /// <summary>Runs <paramref name="schedule"/> against <see cref="ChaosOptions.Target"/> and returns what the checker
    /// found; the cluster is disposed after.</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static async Task<ChaosResult> RunAsync(FaultSchedule schedule, ChaosOptions? options = null)
    {
        options ??= new ChaosOptions();
        var results = await RunAsync(schedule, options, [(Name: "", options)]);
        return results[""];
    }

    /// <summary>
    /// Runs <paramref name="schedule"/> once against several targets side by side in one cluster, each with its own
    /// clients (drawing the same operations from the seed), its own keys (prefixed with its name and '/') and its own
    /// history, so every target meets the very same faults. Returns each target's result by name.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range, or a name is empty or repeated.</exception>
    public static Task<IReadOnlyDictionary<string, ChaosResult>> CompareAsync(FaultSchedule schedule, ChaosOptions options,
        IReadOnlyDictionary<string, IChaosTarget> targets)
    {
        if (targets.Count == 0 || targets.Keys.Any(n => n.Length == 0))
            throw new ArgumentOutOfRangeException(nameof(targets), "At least one target, each with a non-empty name.");
        return RunAsync(schedule, options, targets.Select(t =>
            (t.Key, options with { Target = t.Value, Keys = options.Keys.Select(k => $"{t.Key}/{k}").ToArray() })).ToArray());
    }

    private static async Task<IReadOnlyDictionary<string, ChaosResult>> RunAsync(FaultSchedule schedule, ChaosOptions cluster,
        IReadOnlyList<(string Name, ChaosOptions Options)> targets)
    {
        foreach (var target in targets) target.Options.Validate();
        var slots = Math.Max(cluster.Cluster.Nodes, schedule.Events.Where(e => e.Kind == FaultKind.Join).Select(e => e.Node + 1).DefaultIfEmpty(0).Max());
        await using var testCluster = await TestCluster.StartAsync(cluster.Cluster);
        var clock = Stopwatch.StartNew();
        var histories = targets.Select(_ => new History()).ToArray();
        var nodes = new NodeStates(slots, cluster.Cluster.Nodes);
        var nemesis = new Nemesis(testCluster, nodes, clock);
        using (var stop = new CancellationTokenSource())
        {
            var running = targets.SelectMany((t, i) =>
            {
                var clients = new ChaosClients(testCluster, nodes, t.Options, histories[i], clock, schedule.Seed);
                return Enumerable.Range(0, t.Options.Clients).Select(c => clients.RunAsync(c, stop.Token));
            }).ToArray();
            try
            {
                await nemesis.RunAsync(schedule);
            }
            catch (Exception e)
            {
                foreach (var history in histories)
                    history.AddViolation(new Violation($"a fault step failed: {e.GetType().Name}: {e.Message}", clock.ElapsedTicks));
            }
            finally
            {
                await stop.CancelAsync();
                await Task.WhenAll(running);
            }
        }
        for (var i = 0; i < targets.Count; i++)
            await new FinalCheck(testCluster, targets[i].Options, histories[i], clock).RunAsync();
        return targets.Select((t, i) => (t.Name, Result: new ChaosResult(schedule, nemesis.Executed, nemesis.Log, histories[i],
                HistoryChecker.Check(histories[i], t.Options.MaxSiblings), clock.Elapsed)))
            .ToDictionary(r => r.Name, r => r.Result);
    }
}
