using System.Diagnostics;
using System.Globalization;
using LeaderlessActors.Benchmarks.Load;
using LeaderlessActors.Benchmarks.Metering;
using LeaderlessActors.Benchmarks.Targets;

namespace LeaderlessActors.Benchmarks.Http;

/// <summary>
/// One workload of the http suite at one concurrency: wrk processes (one per node, run at once) with the connections
/// split between them, each connection a closed-loop client on its own wrk thread (see wrk-kv.lua for why). Their
/// counts are summed over the longest process's run time and their latency histograms merged. wrk runs whole seconds:
/// the duration is rounded up to at least 1 s, the warm-up (a run whose figures are dropped) to the nearest second but
/// never below 1 s: the first requests of a workload on the node processes (first calls of its code path, new
/// connections) can take longer than a whole short window, and a --quick run once measured no GET at all in its 1 s.
/// </summary>
internal sealed class WrkLoad(NodeHostCluster cluster, HttpTarget target, KeySpace keys, string folder)
{
    // Longer than the node's request timeout (5 s): a slow answer is measured, not cut off by wrk.
    private const string RequestTimeout = "30s";

    private readonly string _script = Path.Combine(folder, "wrk-kv.lua");
    private readonly string _value = Path.Combine(folder, "value.bin");
    private readonly string _contexts = Path.Combine(folder, "contexts.txt");

    public async Task<Measurement> RunAsync(Workload workload, int connections, TimeSpan warmup, TimeSpan duration)
    {
        if (connections > keys.Count)
            throw new ArgumentException($"The http suite gives each wrk connection keys of its own: {connections} connections need at least as many keys, not {keys.Count}.");
        await PrepareFilesAsync();
        await RunProcessesAsync(workload, connections, Math.Max(1, (int)Math.Round(warmup.TotalSeconds)));

        var clock = Stopwatch.StartNew();
        var (machine, nodes) = (CpuSample.Take(), cluster.CpuTime);
        var outputs = await RunProcessesAsync(workload, connections, Math.Max(1, (int)Math.Ceiling(duration.TotalSeconds)));
        var (machineAfter, nodesAfter, wall) = (CpuSample.Take(), cluster.CpuTime, clock.Elapsed);

        var latency = Measurement.NewHistogram();
        foreach (var (microseconds, count) in outputs.SelectMany(o => o.Latencies)) latency.RecordValueWithCount(microseconds, count);
        return new Measurement(outputs.Sum(o => o.Successes), outputs.Sum(o => o.Errors), outputs.Max(o => o.Duration), latency,
            AllocatedBytes: 0, Wire: default, outputs.Select(o => o.FirstError).FirstOrDefault(e => e is not null))
        {
            Metered = false,
            // The nodes are the system under test here: their CPU, not this idle process's.
            ProcessCpu = (nodesAfter - nodes).TotalSeconds / (wall.TotalSeconds * Environment.ProcessorCount),
            MachineBusy = machineAfter.MachineBusySince(machine),
        };
    }

    private async Task PrepareFilesAsync()
    {
        Directory.CreateDirectory(folder);
        if (!File.Exists(_script))
        {
            await using var resource = typeof(WrkLoad).Assembly.GetManifestResourceStream("LeaderlessActors.Benchmarks.Http.wrk-kv.lua")!;
            await using var file = File.Create(_script);
            await resource.CopyToAsync(file);
        }
        await File.WriteAllBytesAsync(_value, keys.Value);
    }

    /// <summary>Runs the wrk processes at once and hands the contexts their writes got back to the target.</summary>
    private async Task<WrkOutput[]> RunProcessesAsync(Workload workload, int connections, int seconds)
    {
        await File.WriteAllLinesAsync(_contexts, target.Contexts.Select((context, key) => (context, key))
            .Where(c => c.context is not null).Select(c => $"{c.key} {c.context}"));
        var processes = Math.Min(cluster.Endpoints.Count, connections);
        var first = 0;
        var runs = new List<Task<WrkOutput>>();
        for (var node = 0; node < processes; node++)
        {
            var share = connections / processes + (node < connections % processes ? 1 : 0);
            runs.Add(RunProcessAsync(workload, node, first, share, connections, seconds));
            first += share;
        }
        var outputs = await Task.WhenAll(runs);
        foreach (var (key, context) in outputs.SelectMany(o => o.Contexts)) target.Learn(key, context);
        return outputs;
    }

    private async Task<WrkOutput> RunProcessAsync(Workload workload, int node, int firstConnection, int share, int connections, int seconds)
    {
        var info = new ProcessStartInfo(Wrk.Executable ?? throw new InvalidOperationException(Wrk.Missing))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-t", Text(share), "-c", Text(share), "-d", $"{seconds}s", "--timeout", RequestTimeout, "-s", _script })
            info.ArgumentList.Add(argument);
        info.ArgumentList.Add(cluster.Endpoints[node].ToString());
        info.Environment["BENCH_OPERATION"] = workload.Operation;
        info.Environment["BENCH_LEVEL"] = target.LevelName(workload.Level);
        info.Environment["BENCH_KEYS"] = Text(keys.Count);
        info.Environment["BENCH_CONNECTIONS"] = Text(connections);
        info.Environment["BENCH_FIRST_CONNECTION"] = Text(firstConnection);
        info.Environment["BENCH_VALUE_FILE"] = _value;
        info.Environment["BENCH_CONTEXT_FILE"] = _contexts;

        using var wrk = Process.Start(info) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = wrk.StandardOutput.ReadToEndAsync();
        var stderr = wrk.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 60));
        try
        {
            await wrk.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            wrk.Kill(entireProcessTree: true);
            throw new TimeoutException($"wrk against node {node} did not finish its {seconds} s run within a minute more.");
        }
        if (wrk.ExitCode != 0)
            throw new InvalidOperationException($"wrk against node {node} failed with exit code {wrk.ExitCode}: {await stderr}{await stdout}");
        return WrkOutput.Parse(await stdout);
    }

    private static string Text(int number) => number.ToString(CultureInfo.InvariantCulture);
}
