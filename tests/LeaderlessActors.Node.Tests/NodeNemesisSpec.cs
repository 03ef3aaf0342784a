using System.Collections.Concurrent;
using System.Net;
using LeaderlessActors.TestKit.Chaos;
using Xunit;
using Xunit.Abstractions;

namespace LeaderlessActors.Node.Tests;

/// <summary>
/// A seeded nemesis over 5 node processes: the TestKit's <see cref="FaultSchedule"/> drawn from the seed, run with real
/// faults (an isolation is SIGSTOP until SIGCONT, long enough at times for Akka to down the node; a crash is kill -9, then
/// a start on the same ports and data folder), while clients append unique elements to a few set-valued keys by
/// read-merge-write (the union of the siblings plus the element, written over the read's context). Afterwards all 5
/// nodes serve and every element whose write was acknowledged is in every key's quorum read through every node. Before
/// downing stopped moving the ring and DownAll was turned off, such a run left 4 of the 5 nodes shut down.
/// </summary>
public class NodeNemesisSpec(ITestOutputHelper output)
{
    private const int Keys = 3;
    private const int Clients = 4;

    private static readonly FaultBounds IsolationsAndCrashes = new()
    {
        Duration = TimeSpan.FromSeconds(45),
        MinGap = TimeSpan.FromMilliseconds(500),
        MaxGap = TimeSpan.FromSeconds(2),
        MinHold = TimeSpan.FromSeconds(1),
        MaxHold = TimeSpan.FromSeconds(10), // past the 3 s heartbeat pause and 5 s stable-after: some faults end in a downing
        Kinds = new HashSet<FaultKind> { FaultKind.Isolate, FaultKind.Crash },
    };

    [LongNodeTheory("about 1-3 minutes of 5 node processes under faults")]
    [InlineData(4242)]
    public async Task Under_seeded_sigstops_and_kills_every_acknowledged_element_survives_and_all_nodes_serve_again(int seed)
    {
        var schedule = FaultSchedule.Generate(seed, 5, IsolationsAndCrashes);
        var faults = new ConcurrentQueue<string>();
        var acknowledged = new ConcurrentDictionary<string, string>(); // element -> key
        try
        {
            await using var nodes = await NodeProcesses.StartAsync(5, _ => NodeCluster.QuickDowning);
            using var stop = new CancellationTokenSource();
            var clients = Enumerable.Range(0, Clients).Select(c => Task.Run(() => AppendAsync(nodes, seed * 31 + c, c, acknowledged, stop.Token))).ToArray();
            await RunScheduleAsync(nodes, schedule, faults);
            await stop.CancelAsync();
            await Task.WhenAll(clients);

            await nodes.AwaitAllHealthyAsync();
            var missing = new List<string>();
            for (var k = 0; k < Keys; k++)
                for (var node = 0; node < nodes.Count; node++)
                {
                    var held = await ElementsAtQuorumAsync(nodes, node, $"set-{k}");
                    missing.AddRange(acknowledged.Where(a => a.Value == $"set-{k}" && !held.Contains(a.Key)).Select(a => $"{a.Key} in {a.Value} via node {node}"));
                }
            Assert.True(missing.Count == 0, $"{missing.Count} acknowledged elements missing: {string.Join(", ", missing.Take(10))}");
            Assert.True(acknowledged.Count >= 50, $"Only {acknowledged.Count} elements acknowledged: the run exercised too little.");
            output.WriteLine($"seed {seed}: {acknowledged.Count} elements acknowledged under {schedule.Events.Count} faults");
        }
        catch (Exception e)
        {
            throw new InvalidOperationException($"Nemesis seed {seed} failed: {e.Message}\nFaults:\n{string.Join("\n", faults)}", e);
        }
    }

    private static async Task RunScheduleAsync(NodeProcesses nodes, FaultSchedule schedule, ConcurrentQueue<string> faults)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        foreach (var fault in schedule.Events)
        {
            await Task.Delay(fault.Gap);
            faults.Enqueue($"{clock.Elapsed:mm\\:ss\\.f} {fault.Describe()}");
            if (fault.Kind == FaultKind.Isolate)
            {
                nodes.Pause(fault.Node);
                await Task.Delay(fault.Hold);
                nodes.Resume(fault.Node);
            }
            else
            {
                nodes.Kill(fault.Node);
                await Task.Delay(fault.Hold);
                nodes.StartAgain(fault.Node);
            }
        }
    }

    /// <summary>One client: read a random key at quorum through a random node, write the union of its siblings plus a
    /// new element over the read's context, at quorum; an element counts once the write is acknowledged.</summary>
    private static async Task AppendAsync(NodeProcesses nodes, int seed, int client, ConcurrentDictionary<string, string> acknowledged,
        CancellationToken stop)
    {
        var rng = new Random(seed);
        // Short timeouts: a paused node takes the connection and never answers.
        var http = nodes.Http.Select(h => new HttpClient { BaseAddress = h.BaseAddress, Timeout = TimeSpan.FromSeconds(5) }).ToArray();
        try
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"set-{rng.Next(Keys)}";
                var via = http[rng.Next(http.Length)];
                var element = $"c{client}e{i}";
                try
                {
                    using var read = await via.GetKeyAsync(key, "?r=quorum", json: true);
                    if (read.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.MultipleChoices or HttpStatusCode.NotFound))
                    {
                        await Task.Delay(100, CancellationToken.None);
                        continue;
                    }
                    var elements = await ElementsAsync(read);
                    elements.Add(element);
                    using var put = await via.PutKeyAsync(key, string.Join(",", elements.Order(StringComparer.Ordinal)), Kv.ContextOf(read), "?w=quorum");
                    if (put.StatusCode == HttpStatusCode.NoContent) acknowledged[element] = key;
                }
                catch (HttpRequestException) { await Task.Delay(100, CancellationToken.None); }
                catch (TaskCanceledException) { }
            }
        }
        finally
        {
            foreach (var h in http) h.Dispose();
        }
    }

    private static async Task<HashSet<string>> ElementsAtQuorumAsync(NodeProcesses nodes, int node, string key)
    {
        HashSet<string>? held = null;
        await nodes.EventuallyAsync(async () =>
        {
            using var read = await nodes.Http[node].GetKeyAsync(key, "?r=quorum", json: true);
            if (read.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.MultipleChoices or HttpStatusCode.NotFound)) return false;
            held = await ElementsAsync(read);
            return true;
        }, TimeSpan.FromSeconds(30), $"a quorum read of {key} through node {node}");
        return held!;
    }

    /// <summary>The union of the elements of every sibling in a JSON read (none for 404).</summary>
    private static async Task<HashSet<string>> ElementsAsync(HttpResponseMessage read) =>
        (await Kv.ValuesOfAsync(read)).SelectMany(v => v.Split(',', StringSplitOptions.RemoveEmptyEntries)).ToHashSet();
}
