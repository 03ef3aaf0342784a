using System.Diagnostics;
using LeaderlessActors.Benchmarks.Baselines;
using LeaderlessActors.Benchmarks.Cluster;
using LeaderlessActors.Benchmarks.Http;
using LeaderlessActors.Benchmarks.Load;
using LeaderlessActors.Benchmarks.Report;
using LeaderlessActors.Benchmarks.Scale;
using LeaderlessActors.Benchmarks.Targets;

namespace LeaderlessActors.Benchmarks;

/// <summary>
/// Runs every measurement of a run. Repetitions are the outer loop and each starts fresh clusters, so slow drift of a
/// shared machine spreads over all rows instead of landing on one; every row reports the median of its repetitions.
/// </summary>
internal sealed class BenchmarkRunner(BenchmarkOptions options, Action<string> output)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Dictionary<CellKey, List<Measurement>> _cells = [];
    private readonly List<ScaleResult> _scale = [];
    private IReadOnlyList<AntiEntropy.AntiEntropyResult> _antiEntropy = [];
    private readonly KeySpace _keys = new(options.Keys, options.ValueBytes);
    private readonly string _runId = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + "_" + Environment.ProcessId;

    /// <summary>The row label of the http suite: over HTTP, on the node host's default storage.</summary>
    public const string HttpSystem = "http/sqlite";

    private sealed record CellKey(string System, string Operation, string Level, int Concurrency, double? RoundTrips);

    public async Task<BenchmarkReport> RunAsync(string command)
    {
        var started = DateTimeOffset.Now;
        var loadAverage = File.Exists("/proc/loadavg") ? (await File.ReadAllTextAsync("/proc/loadavg")).Trim() : "n/a";
        var dataRoot = Path.Combine(Path.GetTempPath(), "leaderless-bench", _runId);
        try
        {
            var suites = ClusterSuites(dataRoot);
            for (var rep = 1; rep <= options.Repetitions; rep++)
            {
                // Each repetition starts one suite later, so no system always runs first on a cold machine or last on a
                // tired one.
                for (var i = 0; i < suites.Count; i++) await suites[(i + rep - 1) % suites.Count](rep);
            }
            if (options.Runs(Suite.Scale) && options.ScaleKeys > 0)
            {
                foreach (var backend in new[] { StorageBackend.Memory, StorageBackend.Sqlite })
                {
                    Log($"scale: {options.ScaleKeys:N0} keys on one node, {backend.ToString().ToLowerInvariant()}");
                    var result = await ScaleFigures.RunAsync(backend, options.ScaleKeys, options.ValueBytes, Path.Combine(dataRoot, $"scale-{backend}"));
                    Log($"  {result.HeapBytesPerKey:N0} B/key, " +
                        (result.RecoverySeconds is { } recovery ? $"recovery {recovery:N2} s" : "no recovery figure") +
                        $" ({result.PartitionsVerified}/{result.Partitions} partitions verified)" +
                        (result.HeapBytesPerKeyAfterDelete is { } after ? $", {after:N0} B/key once all were deleted and collected" : ""));
                    _scale.Add(result);
                }
            }
            if (options.Runs(Suite.AntiEntropy) && options.AntiEntropyKeys > 0)
            {
                Log($"anti-entropy: {options.AntiEntropyKeys:N0} keys on two replicas, 100, 10 and 1000 of them differing");
                _antiEntropy = await AntiEntropy.AntiEntropyFigures.RunAsync(options.AntiEntropyKeys, options.ValueBytes, [100, 10, 1000]);
                Log("  " + AntiEntropy.AntiEntropyFigures.Describe(_antiEntropy));
            }
        }
        finally
        {
            TryDelete(dataRoot);
        }
        var environment = new RunEnvironment(started, _clock.Elapsed, Environment.MachineName, Environment.ProcessorCount,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            loadAverage, options.NodeProcesses ? "node processes (clients on node 0)" : "in-process (clients spread over the 3 nodes)", command);
        return ResultSummary.Build(environment, options, _cells.Select(c => (c.Key.System, c.Key.Operation, c.Key.Level, c.Key.Concurrency,
            c.Key.RoundTrips, (IReadOnlyList<Measurement>)c.Value)).ToList(), _scale, AntiEntropy.AntiEntropyFigures.Describe(_antiEntropy));
    }

    /// <summary>The suites measured in every repetition, in their order for the first one.</summary>
    private List<Func<int, Task>> ClusterSuites(string dataRoot)
    {
        var suites = new List<Func<int, Task>>();
        if (options.Runs(Suite.Remoting)) suites.Add(RunRemotingAsync);
        foreach (var (suite, backend, journal) in StoreSuites)
        {
            if (options.Runs(suite))
                suites.Add(rep => RunClusterAsync(new NodeSetup(backend, false, Path.Combine(dataRoot, $"r{rep}", suite.ToString()),
                    options.PostgresConnectionString, $"bench_{_runId}_r{rep}", journal), rep));
        }
        if (options.Runs(Suite.DData)) suites.Add(rep => RunClusterAsync(new NodeSetup(null, true, dataRoot), rep));
        if (options.Runs(Suite.Http)) suites.Add(rep => RunHttpAsync(Path.Combine(dataRoot, $"r{rep}", "http"), rep));
        return suites;
    }

    private static readonly (Suite, StorageBackend, SqliteJournalKind)[] StoreSuites =
    [
        (Suite.Memory, StorageBackend.Memory, SqliteJournalKind.GroupCommit),
        (Suite.Sqlite, StorageBackend.Sqlite, SqliteJournalKind.GroupCommit),
        (Suite.SqliteSql, StorageBackend.Sqlite, SqliteJournalKind.AkkaPersistenceSql),
        (Suite.Postgres, StorageBackend.Postgres, SqliteJournalKind.GroupCommit),
    ];

    private async Task RunRemotingAsync(int rep)
    {
        foreach (var window in options.Concurrency.Append(options.PipelineWindow).Distinct())
        {
            var pipelined = window == options.PipelineWindow;
            var measurement = await RemotingLimit.RunAsync(window, options.ValueBytes, options.Warmup, options.Duration);
            Record(rep, new CellKey("remoting", pipelined ? "pipelined" : "round trip", "", window, 1), measurement);
        }
    }

    private async Task RunClusterAsync(NodeSetup setup, int rep)
    {
        await using var schemas = setup.Storage == StorageBackend.Postgres ? await PostgresSchemas.CreateAsync(setup) : null;
        Log($"rep {rep}/{options.Repetitions}: starting 3 nodes of {setup.Describe()} ({(options.NodeProcesses ? "node processes" : "in-process")})");
        await using var cluster = await ClusterUnderTest.StartAsync(setup, options.NodeProcesses);
        IKeyValueTarget target = setup.Storage is null
            ? new DistributedDataTarget(cluster.LocalNodes, _keys)
            : new StoreTarget(cluster.LocalNodes, _keys);
        Log("  cluster up");
        await using var unreachable = UnreachableCounter.Start(cluster.LocalNodes);
        await ClosedLoop.AwaitReadyAsync(target);
        await ClosedLoop.PreloadAsync(target, _keys.Count);
        Log($"  ready, {_keys.Count:N0} keys loaded");
        foreach (var workload in Workload.All.Where(w => options.Workloads.Contains(w.Name)))
        foreach (var concurrency in options.Concurrency)
        {
            var unreachableBefore = unreachable.Seen;
            var measurement = await ClosedLoop.RunAsync(target, workload, concurrency, _keys.Count, options.Warmup, options.Duration);
            var recovered = await cluster.AwaitHealthyAsync(TimeSpan.FromSeconds(60));
            Record(rep, new CellKey(setup.Describe(), workload.Operation, target.LevelName(workload.Level), concurrency,
                target.RemoteRoundTrips(workload)), measurement with { UnreachableEvents = unreachable.Seen - unreachableBefore });
            if (recovered > TimeSpan.FromSeconds(1))
                Log($"  [yellow]the cluster needed {recovered.TotalSeconds:N1} s to see every member reachable again after that workload[/]");
        }
    }

    /// <summary>The http suite: node host processes driven by wrk, put and get at quorum and at one (wrk's script does
    /// no mix). Members marked unreachable are counted from the nodes' own metric.</summary>
    private async Task RunHttpAsync(string folder, int rep)
    {
        var workloads = Workload.All.Where(w => w.Level is Level.Quorum or Level.One && w.PutFraction is 0 or 1)
            .Where(w => options.Workloads.Contains(w.Name)).ToList();
        if (workloads.Count == 0) return;
        Log($"rep {rep}/{options.Repetitions}: starting 3 node host processes (src/LeaderlessActors.Node: HTTP API, SQLite)");
        await using var cluster = await NodeHostCluster.StartAsync(Path.Combine(folder, "nodes"));
        var target = new HttpTarget(cluster.Http, _keys);
        Log("  cluster up");
        await ClosedLoop.AwaitReadyAsync(target);
        await ClosedLoop.PreloadAsync(target, _keys.Count);
        Log($"  ready, {_keys.Count:N0} keys loaded over HTTP");
        var load = new WrkLoad(cluster, target, _keys, Path.Combine(folder, "wrk"));
        foreach (var workload in workloads)
        foreach (var concurrency in options.Concurrency)
        {
            // Before each workload, the preload included: a starved node's failure detector can flag a member
            // unreachable, and requests then fail fast with 503 for want of replicas. As in-process, a cluster that
            // stays unhealthy is measured anyway (its errors show) rather than ending the run.
            try
            {
                var recovered = await cluster.AwaitHealthyAsync(TimeSpan.FromSeconds(60));
                if (recovered > TimeSpan.FromSeconds(1))
                    Log($"  [yellow]the nodes needed {recovered.TotalSeconds:N1} s to be healthy with every member reachable before the next workload[/]");
            }
            catch (TimeoutException)
            {
                Log("  [yellow]the nodes were still not all healthy with every member reachable after 60 s; measuring anyway[/]");
            }
            var unreachableBefore = await cluster.MembersMarkedUnreachableAsync();
            var measurement = await load.RunAsync(workload, concurrency, options.Warmup, options.Duration);
            var unreachable = await cluster.MembersMarkedUnreachableAsync() - unreachableBefore;
            Record(rep, new CellKey(HttpSystem, workload.Operation, target.LevelName(workload.Level), concurrency,
                target.RemoteRoundTrips(workload)), measurement with { UnreachableEvents = unreachable });
        }
    }

    private void Record(int rep, CellKey cell, Measurement m)
    {
        if (!_cells.TryGetValue(cell, out var list)) _cells[cell] = list = [];
        list.Add(m);
        var errors = m.Errors > 0 ? $" [red]{m.Errors} errors: {Spectre.Console.Markup.Escape(m.FirstError ?? "")}[/]" : "";
        if (m.UnreachableEvents > 0) errors += $" [red]a member was marked unreachable {m.UnreachableEvents} time(s)[/]";
        var counters = m.Metered
            ? $"{m.AllocatedBytesPerOp:N0} B/op, {m.RemoteMessagesPerOp:N1} msgs/op, cpu {m.ProcessCpu:P0} (host {m.MachineBusy:P0}), drained in {m.DrainSeconds:N1} s"
            : $"nodes' cpu {m.ProcessCpu:P0} (host {m.MachineBusy:P0})";
        Log($"  rep {rep} {cell.System} {cell.Operation} {cell.Level} c={cell.Concurrency}: {m.OpsPerSecond:N0} ops/s, " +
            $"p50 {m.PercentileMs(50):N2} ms, p99 {m.PercentileMs(99):N2} ms, {counters}{errors}");
    }

    private void Log(string line) => output($"[grey]{_clock.Elapsed:mm\\:ss}[/] {line}");

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory)) Directory.Delete(directory, recursive: true);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
