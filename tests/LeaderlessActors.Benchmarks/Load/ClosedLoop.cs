using HdrHistogram;
using LeaderlessActors.Benchmarks.Targets;

namespace LeaderlessActors.Benchmarks.Load;

/// <summary>
/// Closed-loop clients: each sends one request, waits for the answer, and sends the next, on uniformly random keys.
/// Client <c>i</c> talks to node <c>i % nodes</c>. Latency and throughput count the answers that arrive within the
/// measured window, which starts after the warm-up and lasts the duration or until the first answer or error arrives,
/// whichever is later (at most <see cref="LongestWindow"/>): a short window (<c>--quick</c>) on a loaded machine can
/// otherwise end while the one request of a single client is still out, and report a rate of zero.
/// </summary>
internal static class ClosedLoop
{
    private const int Warmup = 0, Measuring = 1, Stopping = 2;
    private static readonly TimeSpan LongestWindow = TimeSpan.FromSeconds(30);

    public static async Task<Measurement> RunAsync(IKeyValueTarget target, Workload workload, int concurrency, int keys,
        TimeSpan warmup, TimeSpan duration)
    {
        var phase = Warmup;
        var histograms = Enumerable.Range(0, concurrency).Select(_ => Measurement.NewHistogram()).ToArray();
        var operations = new long[concurrency];
        long errors = 0;
        string? firstError = null;

        async Task Client(int client)
        {
            var random = new Random(client * 7919 + 17);
            var node = client % target.Nodes;
            while (Volatile.Read(ref phase) != Stopping)
            {
                var started = System.Diagnostics.Stopwatch.GetTimestamp();
                try
                {
                    await workload.RunOnceAsync(target, node, random.Next(keys), random);
                    if (Volatile.Read(ref phase) != Measuring) continue;
                    histograms[client].RecordValue(Measurement.ElapsedMicroseconds(started));
                    operations[client]++;
                }
                catch (Exception e)
                {
                    if (Volatile.Read(ref phase) == Measuring) Interlocked.Increment(ref errors);
                    Interlocked.CompareExchange(ref firstError, $"{e.GetType().Name}: {e.Message}", null);
                }
            }
        }

        long Answered()
        {
            var answered = Interlocked.Read(ref errors);
            for (var client = 0; client < concurrency; client++) answered += Volatile.Read(ref operations[client]);
            return answered;
        }

        var clients = Enumerable.Range(0, concurrency).Select(c => Task.Run(() => Client(c))).ToArray();
        await Task.Delay(warmup);
        var window = new MeasurementWindow();
        Volatile.Write(ref phase, Measuring);
        await Task.Delay(duration);
        var measuring = System.Diagnostics.Stopwatch.StartNew();
        while (Answered() == 0 && measuring.Elapsed < LongestWindow - duration) await Task.Delay(10);
        Volatile.Write(ref phase, Stopping);
        window.Stop();
        var stopped = System.Diagnostics.Stopwatch.GetTimestamp();
        await Task.WhenAll(clients);
        await AwaitQuietAsync(TimeSpan.FromSeconds(60));
        return window.Result(operations.Sum(), Interlocked.Read(ref errors), Merge(histograms), firstError) with
        {
            Drain = System.Diagnostics.Stopwatch.GetElapsedTime(stopped),
        };
    }

    /// <summary>
    /// Waits until remote traffic has settled after a measurement, so what a workload left behind (replication beyond
    /// the answered quorum, repairs, late answers) is not measured as part of the next one. A long wait means the
    /// workload was acknowledged faster than it was replicated.
    /// </summary>
    public static async Task AwaitQuietAsync(TimeSpan atMost)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var last = Metering.WireCounter.Snapshot().Messages;
        while (clock.Elapsed < atMost)
        {
            await Task.Delay(100);
            var now = Metering.WireCounter.Snapshot().Messages;
            if (now - last < 10) break; // background gossip of the baseline stays below this
            last = now;
        }
    }

    /// <summary>Writes every key once at Quorum from 64 concurrent clients, so reads find values. A put that fails is
    /// tried again (up to 8 times, after 0.1, 0.2, 0.4 ... 2 s): on a loaded machine a replica's first start can
    /// outlast a request's timeout, and a starved node can flag the others unreachable for seconds, failing every put
    /// at once (node processes over HTTP: 503 quorum_not_reached); the preload is set-up, not a measurement.</summary>
    public static Task PreloadAsync(IKeyValueTarget target, int keys) =>
        Task.WhenAll(Enumerable.Range(0, 64).Select(client => Task.Run(async () =>
        {
            for (var key = client; key < keys; key += 64)
            {
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        await target.PutAsync(client % target.Nodes, key, Level.Quorum);
                        break;
                    }
                    catch (Exception) when (attempt < 8)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(2000, 100 << (attempt - 1))));
                    }
                }
            }
        })));

    /// <summary>Waits until a write at All succeeds from every node: every replica is reachable and serving.</summary>
    public static async Task AwaitReadyAsync(IKeyValueTarget target)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        for (var node = 0; node < target.Nodes; node++)
        {
            while (true)
            {
                try
                {
                    await target.PutAsync(node, 0, Level.All);
                    break;
                }
                catch (Exception) when (DateTime.UtcNow < deadline)
                {
                    await Task.Delay(200);
                }
            }
        }
    }

    private static HistogramBase Merge(IEnumerable<HistogramBase> histograms)
    {
        var total = Measurement.NewHistogram();
        foreach (var h in histograms) total.Add(h);
        return total;
    }
}
