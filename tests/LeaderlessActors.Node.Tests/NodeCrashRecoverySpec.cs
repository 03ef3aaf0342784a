using System.Collections.Concurrent;
using System.Net;
using Xunit;

namespace LeaderlessActors.Node.Tests;

/// <summary>A node process is killed with SIGKILL under write load and restarted on its address and data folder.</summary>
public class NodeCrashRecoverySpec
{
    [Fact]
    public async Task A_node_killed_with_sigkill_during_quorum_writes_and_restarted_loses_no_acknowledged_write()
    {
        await using var nodes = await NodeProcesses.StartAsync(3);
        var acknowledged = new ConcurrentDictionary<string, bool>();
        using var stop = new CancellationTokenSource();
        // Writers on every node, the victim included: what it coordinated and acknowledged before the kill counts too.
        var writers = Enumerable.Range(0, 6).Select(w => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                var key = $"w{w}-{i}";
                try
                {
                    using var put = await nodes.Http[w % 3].PutKeyAsync(key, key, query: "?w=quorum");
                    if (put.StatusCode == HttpStatusCode.NoContent) acknowledged[key] = true;
                }
                catch (HttpRequestException) { } // the killed node's connection: nothing was acknowledged
                catch (TaskCanceledException) { }
                if (w % 3 == 2 && acknowledged.Count > 150) await Task.Delay(50); // stop hammering a dead port
            }
        })).ToArray();

        await nodes.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= 150), TimeSpan.FromSeconds(90), "150 acknowledged writes");
        nodes.Kill(2);
        var atKill = acknowledged.Count;
        await nodes.EventuallyAsync(() => Task.FromResult(acknowledged.Count >= atKill + 100), TimeSpan.FromSeconds(90),
            "100 more acknowledged writes after the kill");
        await stop.CancelAsync();
        await Task.WhenAll(writers);

        await nodes.RestartAsync(2);

        var lost = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(acknowledged.Keys, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (key, _) =>
        {
            using var read = await nodes.Http[2].GetKeyAsync(key, "?r=quorum");
            if (read.StatusCode != HttpStatusCode.OK || await read.TextAsync() != key) lost.Add($"{key}: {(int)read.StatusCode}");
        });
        Assert.True(lost.IsEmpty, $"{lost.Count} of {acknowledged.Count} acknowledged writes lost: {string.Join(", ", lost.Take(10))}");
    }
}
